// Smart filing (智能立案, issue 8) end to end in headless Chromium against the whole platform: a party
// files a credit-card case through the guided form — cause, its questions, parties, claims (amounts
// checked as typed), evidence, jurisdiction, electronic service (consent blocked without an address),
// materials (type and pages), the complaint previewed and signed, the draft restored after a reload —
// and within seconds sees it accepted with its case number, fee and the sealed filing receipt (fetched
// and verified by the court's own verification). A filing without the identity proof is returned with
// the reason shown, reopens in the form with the missing material highlighted, and once corrected is
// resubmitted and accepted. A lawyer files for a client (licence number, power of attorney uploaded)
// naming several defendants; the filing carries the agent and the rules' verdict on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumSkipReason as skipReason, hasChromium, screenshot, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { logInDemo } from '../support/demo-platform.ts';
import { minimalPdf, solidPng } from '../support/evidence-files.ts';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.ts';
import { creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../../hub/filings/checks/unified-social-credit-code.ts';

const PARTY1_ID = `11010519880512302${residentIdCheckCharacter('11010519880512302')}`;
/** A unified social credit code whose organisation code and own check characters hold (GB 32100, GB 11714). */
const CREDIT_CODE = ((first17: string) => first17 + creditCodeCheckCharacter(first17))(`91110105MA01ABCD${organisationCodeCheckCharacter('MA01ABCD')}`);
const BANK = { name: '示范商业银行股份有限公司北京朝阳支行', creditCode: CREDIT_CODE, address: '北京市朝阳区金融街1号', representative: '赵明' };

describe.skipIf(!hasChromium)(`guided filing in headless Chromium${skipReason}`, () => {
  let portal: PortalBrowser;
  let baseUrl: string;
  let pageErrors: string[];

  beforeAll(async () => {
    portal = await startPortalBrowser('ecourt-filing-e2e-');
    ({ baseUrl, pageErrors } = portal);
  });

  afterAll(async () => {
    await portal?.close();
  });

  const next = (page: Page) => page.getByTestId('filing-next').click();
  const onStep = (page: Page, step: string) => page.locator(`[data-testid="filing-form"][data-step="${step}"]`).waitFor();

  async function upload(page: Page, type: string, name: string, mimeType: string, buffer: Buffer): Promise<void> {
    const before = await page.getByTestId('filing-material-row').count();
    await page.getByTestId('filing-material-type').selectOption(type);
    await page.getByTestId('filing-material-file').setInputFiles({ name, mimeType, buffer });
    // The hub inspects the bytes (pdf.js page count in a worker): seconds on a loaded machine, not one.
    await expect.poll(async () => (await page.getByTestId('filing-material-error').count()) > 0 ? await page.getByTestId('filing-material-error').textContent() : page.getByTestId('filing-material-row').count(), { timeout: 15_000 }).toBe(before + 1);
  }

  /** Court, cause, questions, parties, claims, evidence and service of a clean credit-card filing by party1. */
  async function fillCreditCardFiling(page: Page, options: { checkTyping: boolean; amount: string; plaintiffName?: string }): Promise<void> {
    await page.getByTestId('filing-cause').selectOption('creditCard');
    await next(page);
    await onStep(page, 'questions');
    await page.getByTestId('filing-question-cardLastDigits').fill('6789');
    await page.getByTestId('filing-question-overdueSince').fill('2025-06-25');
    if (options.checkTyping) {
      // An amount with three decimals is refused as it is typed.
      await page.getByTestId('filing-question-outstandingAmount').fill('1288.505');
      await page.getByTestId('filing-question-outstandingAmount-error').waitFor();
    }
    await page.getByTestId('filing-question-outstandingAmount').fill(options.amount);
    expect(await page.getByTestId('filing-question-outstandingAmount-error').count()).toBe(0);
    await page.getByTestId('filing-knew-on').fill('2025-06-25');
    await next(page);

    await onStep(page, 'parties');
    if (options.plaintiffName) {
      // A lawyer names the client as plaintiff.
      expect(await page.getByTestId('filing-plaintiff-name').inputValue()).toBe('');
      await page.getByTestId('filing-plaintiff-name').fill(options.plaintiffName);
    } else {
      // The plaintiff is the signed-in party.
      expect(await page.getByTestId('filing-plaintiff-name').inputValue()).toBe('陈静');
    }
    await page.getByTestId('filing-plaintiff-id-number').fill(PARTY1_ID);
    await page.getByTestId('filing-plaintiff-phone').fill('13800138001');
    await page.getByTestId('filing-plaintiff-address').fill('北京市朝阳区建国路88号');
    await page.getByTestId('filing-plaintiff-domicile').fill('北京市朝阳区');
    await page.getByTestId('filing-defendant-kind').selectOption('organisation');
    await page.getByTestId('filing-defendant-name').fill(BANK.name);
    await page.getByTestId('filing-defendant-id-number').fill(BANK.creditCode);
    await page.getByTestId('filing-defendant-address').fill(BANK.address);
    await page.getByTestId('filing-defendant-domicile').fill('北京市朝阳区');
    await page.getByTestId('filing-defendant-representative').fill(BANK.representative);
    await next(page);

    await onStep(page, 'claims');
    await page.getByTestId('filing-claim-text-0').fill(`判令被告退还违规收取的信用卡年费及利息共计${options.amount}元`);
    if (options.checkTyping) {
      await page.getByTestId('filing-claim-amount-0').fill('1288.5x');
      await page.getByTestId('filing-claim-amount-0-error').waitFor();
    }
    await page.getByTestId('filing-claim-amount-0').fill(options.amount);
    expect(await page.getByTestId('filing-claim-amount-0-error').count()).toBe(0);
    await page.getByTestId('filing-claim-add').click();
    await page.getByTestId('filing-claim-text-1').fill('本案诉讼费用由被告负担');
    await page.getByTestId('filing-facts').fill('原告于2022年3月申领被告发行的信用卡。2025年6月起，被告在原告未开通相关服务的情况下扣收年费及利息，经交涉仍未退还。');
    await next(page);

    await onStep(page, 'evidence');
    await page.getByTestId('filing-evidence-add').click();
    await page.getByTestId('filing-evidence-name-0').fill('信用卡账单');
    await page.getByTestId('filing-evidence-purpose-0').fill('证明被告扣收年费及利息');
    await page.getByTestId('filing-jurisdiction-basis').selectOption('defendantDomicile');
    await page.getByTestId('filing-jurisdiction-place').fill('北京市朝阳区');
    await next(page);

    await onStep(page, 'service');
    if (options.checkTyping) {
      // Consent needs somewhere to serve: blocked, with the reason, until an address is given.
      const blocked = page.getByTestId('filing-service-blocked');
      expect(await blocked.getAttribute('data-reason')).toBe('serviceAddress');
      expect(await page.getByTestId('filing-service-consent').isDisabled()).toBe(true);
    }
    await page.getByTestId('filing-service-phone').fill('13800138001');
    await expect.poll(() => page.getByTestId('filing-service-blocked').count()).toBe(0);
    await page.getByTestId('filing-service-consent').check();
    await next(page);
    await onStep(page, 'materials');
  }

  async function signComplaint(page: Page): Promise<void> {
    await page.getByTestId('filing-complaint-preview').click();
    await page.getByTestId('filing-complaint-frame').waitFor();
    await page.getByTestId('filing-complaint-sign').click();
    await page.getByTestId('filing-complaint-signed').waitFor();
  }

  it('a party files a credit-card case through the guided form and gets it accepted with a sealed receipt within seconds', async () => {
    const page = await portal.openPage();
    await portal.logIn(page, 'party1');
    await page.getByTestId('nav-file').click();
    await page.getByTestId('filing-form').waitFor();
    await expect.poll(() => page.locator('[data-testid="filing-court"] option').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="filing-cause"] option').allTextContents()).toEqual(
      expect.arrayContaining(['民间借贷纠纷', '金融借款合同纠纷', '信用卡纠纷', '买卖合同纠纷', '网络购物合同纠纷']),
    );
    await fillCreditCardFiling(page, { checkTyping: true, amount: '1288.50' });

    // Materials: the cause's list shows what is missing; each upload shows its type and pages.
    expect(await page.locator('[data-testid="filing-required-material"][data-type="identityProof"]').getAttribute('data-present')).toBe('false');
    await upload(page, 'identityProof', '身份证.png', 'image/png', solidPng(320, 200));
    await upload(page, 'contract', '信用卡领用合约.pdf', 'application/pdf', minimalPdf(2));
    await upload(page, 'evidence', '信用卡账单.pdf', 'application/pdf', minimalPdf(3));
    const rows = await page.getByTestId('filing-material-row').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-type'), tr.getAttribute('data-pages')]));
    expect(rows).toEqual([
      ['identityProof', '1'],
      ['contract', '2'],
      ['evidence', '3'],
    ]);
    expect(await page.locator('[data-testid="filing-required-material"][data-present="false"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-type')))).toEqual(['complaint']);
    await next(page);

    // The complaint is generated from the answers, previewed and signed.
    await onStep(page, 'review');
    await signComplaint(page);

    // Saved as it went: a reload reopens the same draft at the same step with its materials.
    await page.locator('[data-testid="filing-save-state"][data-state="saved"]').waitFor();
    const draftId = await page.getByTestId('filing-form').getAttribute('data-draft-id');
    await page.reload();
    await onStep(page, 'review');
    expect(await page.getByTestId('filing-form').getAttribute('data-draft-id')).toBe(draftId);
    await expect.poll(() => page.getByTestId('filing-material-row').count()).toBe(4);
    await page.getByTestId('filing-goto-parties').click();
    expect(await page.getByTestId('filing-plaintiff-id-number').inputValue()).toBe(PARTY1_ID);
    await page.getByTestId('filing-goto-review').click();

    const started = Date.now();
    await page.getByTestId('filing-submit').click();
    const result = page.getByTestId('filing-result');
    await result.waitFor();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(10_000);
    const caseNumber = (await page.getByTestId('filing-result-case-number').textContent())!.trim();
    expect(caseNumber).toMatch(/^[（(]\d{4}[）)]京0105民初\d+号$/);
    expect(await page.getByTestId('filing-result-fee').textContent()).toMatch(/\d+(\.\d{2})?/);
    await screenshot(page, 'filing-accepted.png');

    // The sealed receipt: linked on the page, a PDF whose signature the court's verification accepts.
    const link = page.getByTestId('filing-receipt-link');
    await expect.poll(() => link.getAttribute('href')).toMatch(/^blob:/);
    const contentPath = (await link.getAttribute('data-content-path'))!;
    const { token } = await logInDemo(baseUrl, 'party1');
    const receipt = await fetch(`${baseUrl}${contentPath}`, { headers: { authorization: `Bearer ${token}` } });
    expect(receipt.status).toBe(200);
    const bytes = Buffer.from(await receipt.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verified = await fetch(`${baseUrl}/api/v1/documents/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes });
    const report = (await verified.json()) as { valid: boolean; signatures: unknown[] };
    expect(report.signatures.length).toBeGreaterThanOrEqual(1);
    expect(report.valid).toBe(true);
    console.log(`filing e2e: accepted as ${caseNumber} ${elapsed} ms after submit`);
    expect(pageErrors).toEqual([]);
  });

  it('a filing without the identity proof is returned with the reason shown, corrected in the form and resubmitted, then accepted', async () => {
    const page = await portal.openPage();
    await portal.logIn(page, 'party1');
    await page.getByTestId('nav-file').click();
    await page.getByTestId('filing-form').waitFor();
    await expect.poll(() => page.locator('[data-testid="filing-court"] option').count()).toBeGreaterThan(0);
    // The previous filing's draft is done: this one starts afresh at the first step.
    await onStep(page, 'court');
    // Another dispute (another amount): the same claims again would be refused as a repeated filing.
    await fillCreditCardFiling(page, { checkTyping: false, amount: '2150.00' });
    await upload(page, 'contract', '信用卡领用合约.pdf', 'application/pdf', minimalPdf(2));
    await upload(page, 'evidence', '信用卡账单.pdf', 'application/pdf', minimalPdf(1));
    await next(page);
    await onStep(page, 'review');
    await signComplaint(page);
    await page.getByTestId('filing-submit').click();
    const result = page.getByTestId('filing-result');
    await result.waitFor();
    await expect.poll(() => result.getAttribute('data-status')).toBe('returned');
    const reason = page.locator('[data-testid="filing-result-reasons"] li[data-rule-id="materials"]');
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/身份证明|identityProof/);
    await screenshot(page, 'filing-returned.png');
    expect(await page.getByTestId('filing-result-deadline').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    const filingId = await result.getAttribute('data-filing-id');

    // 补正: back into the form at the step to fix, the material named and its reason shown.
    await page.getByTestId('filing-correct').click();
    await onStep(page, 'materials');
    const banner = page.getByTestId('filing-correction');
    expect(await banner.getAttribute('data-filing-id')).toBe(filingId);
    expect(await banner.locator('li[data-rule-id="materials"]').getAttribute('data-fields')).toContain('materials');
    expect(await page.getByTestId('filing-goto-materials').getAttribute('data-flagged')).toBe('true');
    expect(await page.getByTestId('filing-goto-parties').getAttribute('data-flagged')).toBe('false');
    expect(await page.getByTestId('filing-materials-flag').textContent()).toMatch(/身份证明|identityProof/);
    await page.getByTestId('filing-correction-here').waitFor();

    // A reload keeps the correction (the draft and the returned filing are remembered).
    await page.locator('[data-testid="filing-save-state"][data-state="saved"]').waitFor();
    await page.reload();
    await onStep(page, 'materials');
    expect(await page.getByTestId('filing-correction').getAttribute('data-filing-id')).toBe(filingId);
    await expect.poll(() => page.getByTestId('filing-material-row').count()).toBe(3);

    await upload(page, 'identityProof', '身份证.png', 'image/png', solidPng(320, 200));
    expect(await page.locator('[data-testid="filing-required-material"][data-type="identityProof"]').getAttribute('data-present')).toBe('true');
    await next(page);
    await onStep(page, 'review');
    // Only a material was added: the signed complaint still states the answers.
    await page.getByTestId('filing-complaint-signed').waitFor();
    await page.getByTestId('filing-submit').click();
    const resubmitted = page.getByTestId('filing-result');
    await expect.poll(() => resubmitted.getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');
    expect(await resubmitted.getAttribute('data-filing-id')).toBe(filingId);
    expect((await page.getByTestId('filing-result-case-number').textContent())!.trim()).toMatch(/^[（(]\d{4}[）)]京0105民初\d+号$/);
    await page.getByTestId('filing-receipt-link').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('a lawyer files for a client with a power of attorney, naming several defendants; the filing carries the agent', async () => {
    const page = await portal.openPage();
    await portal.logIn(page, 'lawyer1');
    await page.getByTestId('nav-file').click();
    await page.getByTestId('filing-form').waitFor();
    await expect.poll(() => page.locator('[data-testid="filing-court"] option').count()).toBeGreaterThan(0);
    await onStep(page, 'court');
    await page.getByTestId('filing-cause').selectOption('creditCard');
    await next(page);
    await onStep(page, 'questions');
    await page.getByTestId('filing-goto-parties').click();
    await onStep(page, 'parties');

    // The agent block: the lawyer's own name, the licence number, the power of attorney.
    await page.getByTestId('filing-agent-block').waitFor();
    expect(await page.getByTestId('filing-agent-poa-status').getAttribute('class')).toContain('problem');
    await page.getByTestId('filing-agent-licence').fill('11101201510123456');
    await page.getByTestId('filing-agent-poa').setInputFiles({ name: '授权委托书.pdf', mimeType: 'application/pdf', buffer: minimalPdf(1) });
    await expect.poll(() => page.getByTestId('filing-agent-poa-status').getAttribute('class')).toContain('ok');

    // Several parties per side: a third plaintiff added and removed again; a second defendant kept.
    await page.getByTestId('filing-plaintiffs-add').click();
    await page.getByTestId('filing-plaintiff-1-name').fill('临时');
    expect(await page.getByTestId('filing-plaintiff-remove').isDisabled()).toBe(false);
    await page.getByTestId('filing-plaintiff-1-remove').click();
    await expect.poll(() => page.getByTestId('filing-plaintiff-1-name').count()).toBe(0);
    expect(await page.getByTestId('filing-plaintiff-remove').isDisabled()).toBe(true);
    await page.getByTestId('filing-defendants-add').click();
    await page.getByTestId('filing-defendant-1-name').fill('王强');
    await page.getByTestId('filing-defendant-1-id-number').fill(`11010519900101123${residentIdCheckCharacter('11010519900101123')}`);
    await page.getByTestId('filing-defendant-1-address').fill('北京市朝阳区光华路9号');
    await page.getByTestId('filing-defendant-1-domicile').fill('北京市朝阳区');

    await page.getByTestId('filing-goto-court').click();
    await onStep(page, 'court');
    await fillCreditCardFiling(page, { checkTyping: false, amount: '3300.00', plaintiffName: '陈静' });
    await upload(page, 'identityProof', '身份证.png', 'image/png', solidPng(320, 200));
    await upload(page, 'contract', '信用卡领用合约.pdf', 'application/pdf', minimalPdf(2));
    await upload(page, 'evidence', '信用卡账单.pdf', 'application/pdf', minimalPdf(1));
    await next(page);
    await onStep(page, 'review');
    await signComplaint(page);
    await page.getByTestId('filing-submit').click();
    const result = page.getByTestId('filing-result');
    await result.waitFor();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 10_000 }).not.toBe('submitted');
    const status = await result.getAttribute('data-status');
    const filingId = (await result.getAttribute('data-filing-id'))!;

    const { token, user } = await logInDemo(baseUrl, 'lawyer1');
    const reply = await fetch(`${baseUrl}/api/v1/filings/${filingId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    const { filing } = (await reply.json()) as {
      filing: {
        status: string;
        agentUserId: string | null;
        filing: { agent?: { userId: string; licenceNumber: string; powerOfAttorneyMaterialId: string }; plaintiffs: { name: string }[]; defendants: { name: string }[]; materials: { id: string; type: string }[] };
        decision: { decision: string; trace: { ruleId: string; outcome: string }[] };
      };
    };
    expect(filing.status).toBe(status);
    // The default rules pass an agent's filing with its power of attorney, and credit-card cases are auto-accepted.
    expect(status).toBe('accepted');
    expect(filing.agentUserId).toBe(user.id);
    expect(filing.filing.agent).toMatchObject({ userId: user.id, licenceNumber: '11101201510123456' });
    expect(filing.filing.materials.find((m) => m.id === filing.filing.agent!.powerOfAttorneyMaterialId)?.type).toBe('powerOfAttorney');
    expect(filing.filing.plaintiffs.map((p) => p.name)).toEqual(['陈静']);
    expect(filing.filing.defendants.map((d) => d.name)).toEqual([BANK.name, '王强']);
    // The power-of-attorney rule passed; the page shows what the rules decided.
    expect(filing.decision.trace.find((rule) => rule.ruleId === 'powerOfAttorney')?.outcome).toBe('pass');
    console.log(`filing e2e: lawyer's filing ${status}; not passed: ${JSON.stringify(filing.decision.trace.filter((r) => r.outcome === 'fail' || r.outcome === 'uncertain').map((r) => r.ruleId))}`);
    expect(pageErrors).toEqual([]);
  });
});
