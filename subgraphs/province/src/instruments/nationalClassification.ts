/**
 * The national classification of large research instruments: 13 classes, each split into subclasses and items,
 * written as six digits, two per level (`020305`: class 02, subclass 03, item 05). The classes are those of
 * `admin/nationalCategories.json`, numbered here in the order the classification lists them; subclasses and
 * items are numbered by the classification's own tables, which change more often, so only their shape is checked.
 */
export const NATIONAL_CLASSES: Readonly<Record<string, { readonly nameEn: string; readonly nameZh: string }>> = {
  '01': { nameEn: 'Analytical instruments', nameZh: '分析仪器' },
  '02': { nameEn: 'Physical property testing instruments', nameZh: '物理性能测试仪器' },
  '03': { nameEn: 'Metrology instruments', nameZh: '计量仪器' },
  '04': { nameEn: 'Electronic measuring instruments', nameZh: '电子测量仪器' },
  '05': { nameEn: 'Marine instruments', nameZh: '海洋仪器' },
  '06': { nameEn: 'Earth exploration instruments', nameZh: '地球探测仪器' },
  '07': { nameEn: 'Atmospheric sounding instruments', nameZh: '大气探测仪器' },
  '08': { nameEn: 'Special inspection instruments', nameZh: '特种检测仪器' },
  '09': { nameEn: 'Lasers', nameZh: '激光器' },
  '10': { nameEn: 'Process testing instruments', nameZh: '工艺试验仪器' },
  '11': { nameEn: 'Computers and their supporting equipment', nameZh: '计算机及其配套设备' },
  '12': { nameEn: 'Astronomical instruments', nameZh: '天文仪器' },
  '13': { nameEn: 'Other instruments', nameZh: '其他仪器' },
};

// Sorted: keys such as '10' are integer-like, so an object lists them before '01'.
const KNOWN_CLASSES = Object.keys(NATIONAL_CLASSES).sort().join(', ');

/** Why `code` is not a full classification code (class, subclass, item), or null when it is one. */
export function classificationCodeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return 'must be six digits: class, subclass and item, two digits each, e.g. 010203';
  if (!NATIONAL_CLASSES[code.slice(0, 2)]) return `must start with one of the 13 national classes (${KNOWN_CLASSES}); ${code.slice(0, 2)} is none of them`;
  if (code.slice(2, 4) === '00' || code.slice(4, 6) === '00') return 'must name a subclass and an item (neither may be 00)';
  return null;
}

/** Why `prefix` cannot select codes (a class, a subclass or a full code), or null when it can. */
export function classificationPrefixProblem(prefix: string): string | null {
  if (!/^(\d{2}){1,3}$/.test(prefix)) return 'must be 2, 4 or 6 digits: a class, a subclass or a full code, e.g. 01 or 0102';
  if (!NATIONAL_CLASSES[prefix.slice(0, 2)]) return `must start with one of the 13 national classes (${KNOWN_CLASSES})`;
  return null;
}
