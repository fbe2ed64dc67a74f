import { instrumentUpdateSchema, withFeeInYuan } from '../instrumentInput';

describe('withFeeInYuan', () => {
  it('turns every whole number of fen into the yuan the column keeps, exactly', () => {
    // Amounts whose yuan have no exact binary form (0.29, 1.15, 0.57…), and a spread of others.
    for (const fen of [1, 29, 57, 99, 115, 48_029, ...Array.from({ length: 200 }, (_, i) => i * 4_999)]) {
      const { hourlyFee } = instrumentUpdateSchema.parse(withFeeInYuan({ hourlyFeeFen: fen }, 'input', false));
      expect(Math.round(hourlyFee! * 100)).toBe(fen);
      expect(String(hourlyFee)).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    expect(withFeeInYuan({ hourlyFeeFen: 10_000_000 }, 'input', true)).toEqual({ hourlyFee: 100_000 });
  });

  it('leaves a fee in yuan as given, and nothing when neither is given on an update', () => {
    expect(withFeeInYuan({ hourlyFee: 480.5, name: 'x' }, 'input', true)).toEqual({ hourlyFee: 480.5, name: 'x' });
    expect(withFeeInYuan({ name: 'x' }, 'input', false)).toEqual({ name: 'x' });
  });

  it('refuses both at once, neither on a new instrument, and fen that are not a whole number in range, naming the field', () => {
    const refusal = (raw: unknown, required = true) => {
      try {
        withFeeInYuan(raw, 'input', required);
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
      return null;
    };
    expect(refusal({ hourlyFeeFen: 100, hourlyFee: 1 })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('input.hourlyFee') });
    expect(refusal({})).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('input.hourlyFeeFen') });
    for (const fen of [-1, 1.5, 10_000_001]) expect(refusal({ hourlyFeeFen: fen })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('input.hourlyFeeFen') });
  });
});
