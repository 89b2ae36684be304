// Synthetic resident ID cards (居民身份证) for the OCR tests and benchmark: the card is laid out in HTML with
// Debian's CJK font (fonts-wqy-zenhei), photographed by Chromium lying a few degrees askew on a darker
// table, and then given pixel noise — so the engine's deskew, crop and contrast steps have real work to do.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { inCI } from './services.ts';

const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && inCI) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM} (apt-get install chromium)`);
/** Appended to a suite's name when it cannot run here (never in CI). */
export const chromiumSkipReason = hasChromium ? '' : ` (skipped: Chromium not found at ${CHROMIUM})`;

export interface IdCardFront {
  name: string;
  sex: '男' | '女';
  ethnicity: string;
  birth: { year: number; month: number; day: number };
  address: string;
  idNumber: string;
}

export interface IdCardBack {
  issuingAuthority: string;
  /** As printed: `2015.03.07-2035.03.07` or `2015.03.07-长期`. */
  validity: string;
}

export interface PhotoOptions {
  /** Degrees, clockwise. */
  rotation?: number;
  /** Standard deviation of the grey noise added to each pixel (0–255 scale). */
  noise?: number;
  /** Seed of the noise, so a failing image can be made again. */
  seed?: number;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function frontHtml(card: IdCardFront): string {
  const { year, month, day } = card.birth;
  return `
    <div class="row"><span class="label">姓名</span><span class="value">${escape(card.name)}</span></div>
    <div class="row"><span class="label">性别</span><span class="value">${card.sex}</span>
      <span class="label gap">民族</span><span class="value">${escape(card.ethnicity)}</span></div>
    <div class="row"><span class="label">出生</span><span class="value">${year}</span><span class="label">年</span>
      <span class="value">${month}</span><span class="label">月</span><span class="value">${day}</span><span class="label">日</span></div>
    <div class="row address"><span class="label">住址</span><span class="value">${escape(card.address)}</span></div>
    <div class="photo"></div>
    <div class="number"><span class="label">公民身份号码</span><span class="value mono">${escape(card.idNumber)}</span></div>`;
}

function backHtml(card: IdCardBack): string {
  return `
    <div class="emblem"></div>
    <div class="title">中华人民共和国</div>
    <div class="title big">居民身份证</div>
    <div class="row back"><span class="label">签发机关</span><span class="value">${escape(card.issuingAuthority)}</span></div>
    <div class="row back"><span class="label">有效期限</span><span class="value">${escape(card.validity)}</span></div>`;
}

function pageHtml(body: string, rotation: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; background: #6b6f73; }
    body { width: 1100px; height: 780px; display: flex; align-items: center; justify-content: center;
           font-family: 'WenQuanYi Zen Hei', sans-serif; }
    .card { position: relative; width: 856px; height: 540px; border-radius: 28px; box-sizing: border-box; padding: 44px 48px;
            background: linear-gradient(135deg, #f4f1ea, #e8eef2); transform: rotate(${rotation}deg); }
    .row { display: flex; align-items: baseline; margin-bottom: 26px; font-size: 30px; }
    .label { color: #2f5d8a; margin-right: 18px; }
    .label.gap { margin-left: 60px; }
    .value { color: #111; margin-right: 12px; }
    .address .value { width: 440px; line-height: 44px; }
    .photo { position: absolute; right: 52px; top: 60px; width: 220px; height: 270px; background: radial-gradient(circle at 50% 38%, #8a8f96 0 30%, #d9dde2 31%); }
    .number { position: absolute; left: 48px; bottom: 50px; font-size: 30px; display: flex; align-items: baseline; }
    .mono { font-size: 36px; letter-spacing: 4px; }
    .emblem { position: absolute; left: 56px; top: 44px; width: 130px; height: 130px; border-radius: 50%; background: #c9a54a; }
    .title { margin-left: 230px; font-size: 34px; letter-spacing: 8px; color: #111; }
    .title.big { font-size: 52px; margin-top: 10px; margin-bottom: 90px; }
    .back { margin-left: 60px; }
  </style></head><body><div class="card">${body}</div></body></html>`;
}

/** A small deterministic generator (mulberry32): the same seed gives the same noise. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function addNoise(png: Buffer, sigma: number, seed: number): Buffer {
  if (sigma <= 0) return png;
  const image = PNG.sync.read(png);
  const next = random(seed);
  for (let i = 0; i < image.data.length; i += 4) {
    // Box–Muller: one normal sample per pixel, the same on all three channels (sensor-like grey noise).
    const n = Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()) * sigma;
    for (let c = 0; c < 3; c++) image.data[i + c] = Math.max(0, Math.min(255, Math.round(image.data[i + c]! + n)));
  }
  return PNG.sync.write(image);
}

export interface IdCardCamera {
  front(card: IdCardFront, options?: PhotoOptions): Promise<Buffer>;
  back(card: IdCardBack, options?: PhotoOptions): Promise<Buffer>;
  close(): Promise<void>;
}

/** One Chromium for many cards (a launch costs about a second). */
export async function openIdCardCamera(): Promise<IdCardCamera> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 780 } });
  const shoot = async (body: string, options: PhotoOptions = {}) => {
    await page.setContent(pageHtml(body, options.rotation ?? 0));
    await page.evaluate(() => document.fonts.ready);
    const png = await page.screenshot({ type: 'png' });
    return addNoise(png, options.noise ?? 0, options.seed ?? 1);
  };
  return {
    front: (card, options) => shoot(frontHtml(card), options),
    back: (card, options) => shoot(backHtml(card), options),
    close: () => browser.close(),
  };
}

/** A few cards that look like real ones (made-up people; the numbers carry valid check digits). */
export const SAMPLE_FRONTS: readonly IdCardFront[] = [
  { name: '张伟', sex: '男', ethnicity: '汉', birth: { year: 1990, month: 3, day: 7 }, address: '北京市东城区景山前街4号院2号楼301室', idNumber: '110101199003070038' },
  { name: '李秀英', sex: '女', ethnicity: '回', birth: { year: 1985, month: 11, day: 23 }, address: '上海市黄浦区南京东路100号', idNumber: '310101198511230045' },
  { name: '欧阳明华', sex: '男', ethnicity: '蒙古', birth: { year: 2001, month: 1, day: 30 }, address: '广东省广州市天河区体育西路55号', idNumber: '440106200101300013' },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '建国', '志强', '桂英', '海燕', '晓东'];
const ETHNICITIES = ['汉', '汉', '汉', '回', '满', '蒙古', '壮', '维吾尔', '苗', '土家', '朝鲜'];
const PLACES: readonly [string, string][] = [
  ['110105', '北京市朝阳区建国路'],
  ['310104', '上海市徐汇区漕溪北路'],
  ['440305', '广东省深圳市南山区科技园路'],
  ['330106', '浙江省杭州市西湖区文三路'],
  ['510107', '四川省成都市武侯区人民南路'],
  ['420106', '湖北省武汉市武昌区中山路'],
  ['610113', '陕西省西安市雁塔区长安南路'],
];
const AUTHORITIES = ['北京市公安局朝阳分局', '上海市公安局徐汇分局', '深圳市公安局南山分局', '杭州市公安局西湖区分局', '成都市公安局武侯区分局'];

const checkCharacter = (first17: string) => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'[[...first17].reduce((sum, digit, i) => sum + Number(digit) * weights[i]!, 0) % 11]!;
};

/** A made-up but consistent card front (number, birth date and sex agree) from a seed. */
export function syntheticFront(seed: number): IdCardFront {
  const next = random(seed * 7919 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const sex = next() < 0.5 ? '男' : '女';
  const birth = { year: 1950 + Math.floor(next() * 55), month: 1 + Math.floor(next() * 12), day: 1 + Math.floor(next() * 28) };
  const [region, street] = pick(PLACES);
  const sequence = 100 + Math.floor(next() * 400) * 2 + (sex === '男' ? 1 : 0);
  const first17 = `${region}${birth.year}${String(birth.month).padStart(2, '0')}${String(birth.day).padStart(2, '0')}${String(sequence).padStart(3, '0')}`;
  return {
    name: pick(SURNAMES) + pick(GIVEN),
    sex,
    ethnicity: pick(ETHNICITIES),
    birth,
    address: `${street}${1 + Math.floor(next() * 300)}号${1 + Math.floor(next() * 20)}栋${101 + Math.floor(next() * 20)}室`,
    idNumber: first17 + checkCharacter(first17),
  };
}

/** A made-up card back from a seed (a 10- or 20-year period, or 长期). */
export function syntheticBack(seed: number): IdCardBack {
  const next = random(seed * 104729 + 3);
  const year = 2010 + Math.floor(next() * 14);
  const date = `${String(1 + Math.floor(next() * 12)).padStart(2, '0')}.${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  const span = [10, 20, 0][Math.floor(next() * 3)]!;
  return {
    issuingAuthority: AUTHORITIES[Math.floor(next() * AUTHORITIES.length)]!,
    validity: `${year}.${date}-${span ? `${year + span}.${date}` : '长期'}`,
  };
}
