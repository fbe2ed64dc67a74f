import { z } from 'zod';
import { DomainError } from '../../errors/DomainError';
import { input, parseInput } from '../parseInput';

const fee = z.object({ hourlyFee: input.money(100_000) });
const problems = (value: unknown): string[] => {
  try {
    parseInput(fee, value, 'input');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return ((error as DomainError).details['fields'] as { message: string }[]).map((field) => field.message);
  }
};

describe('input.money', () => {
  it.each([0, 0.29, 1.15, 4.35, 12.5, 1234.56, 99_999.99, 100_000])('accepts %p yuan', (value) => {
    expect(problems({ hourlyFee: value })).toEqual([]);
  });

  it.each([
    [1.005, 'must have at most two decimals'],
    [0.1 + 0.2, 'must have at most two decimals'],
    [-1, 'must not be negative'],
    [100_000.01, 'must be at most 100000'],
  ])('refuses %p with one message a person can act on', (value, message) => {
    expect(problems({ hourlyFee: value })).toEqual([message]);
  });
});
