import { PROVINCES, isProvinceKey, partnerOf, provinceByCardNumber, provinceByCode, provinceByIdPrefix } from '../provinces';

describe('provinces', () => {
  it('knows exactly the keys of the table', () => {
    expect(isProvinceKey('sichuan')).toBe(true);
    expect(isProvinceKey('chongqing')).toBe(true);
    expect(isProvinceKey('guizhou')).toBe(false);
  });

  it('pairs Sichuan and Chongqing as partners', () => {
    expect(partnerOf(PROVINCES.sichuan)).toBe(PROVINCES.chongqing);
    expect(partnerOf(PROVINCES.chongqing)).toBe(PROVINCES.sichuan);
  });

  it('finds a province by its schema code, id prefix and card number', () => {
    expect(provinceByCode('CHONGQING').key).toBe('chongqing');
    expect(provinceByIdPrefix('sc')?.key).toBe('sichuan');
    expect(provinceByIdPrefix('xx')).toBeUndefined();
    expect(provinceByCardNumber(' cq-rc-2024-000001 ')?.key).toBe('chongqing');
    expect(provinceByCardNumber('TF-2024-000128')?.key).toBe('sichuan');
    expect(provinceByCardNumber('GZ-2024-000001')).toBeUndefined();
  });
});
