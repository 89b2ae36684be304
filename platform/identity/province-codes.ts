// Province-level divisions of GB/T 2260 (the first two digits of a resident ID number's region
// code). 71 (Taiwan) and 81/82 (Hong Kong, Macao) exist in the standard but no resident ID card
// carries them: numbers starting 81/82/83 are residence permits (港澳台居民居住证).
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京市', '12': '天津市', '13': '河北省', '14': '山西省', '15': '内蒙古自治区',
  '21': '辽宁省', '22': '吉林省', '23': '黑龙江省',
  '31': '上海市', '32': '江苏省', '33': '浙江省', '34': '安徽省', '35': '福建省', '36': '江西省', '37': '山东省',
  '41': '河南省', '42': '湖北省', '43': '湖南省', '44': '广东省', '45': '广西壮族自治区', '46': '海南省',
  '50': '重庆市', '51': '四川省', '52': '贵州省', '53': '云南省', '54': '西藏自治区',
  '61': '陕西省', '62': '甘肃省', '63': '青海省', '64': '宁夏回族自治区', '65': '新疆维吾尔自治区',
};

/** The region code of a 港澳台居民居住证 number: 810000 Hong Kong, 820000 Macao, 830000 Taiwan. */
export const RESIDENCE_PERMIT_REGIONS: Readonly<Record<string, string>> = {
  '810000': '香港特别行政区',
  '820000': '澳门特别行政区',
  '830000': '台湾地区',
};
