import { toPaymentRequest } from './payment-form';

describe('toPaymentRequest', () => {
  it('turns dollars into integer cents', () => {
    expect(toPaymentRequest({ amount: '$9,000.5', paid_on: '' })).toEqual({ request: { amount_cents: 900_050 } });
    expect(toPaymentRequest({ amount: '0.07', paid_on: '' })).toEqual({ request: { amount_cents: 7 } });
  });

  it('sends the date when one is given', () => {
    expect(toPaymentRequest({ amount: '100', paid_on: ' 2026-11-30 ' })).toEqual({
      request: { amount_cents: 10_000, paid_on: '2026-11-30' },
    });
  });

  it('refuses zero, negative, malformed and over-precise amounts', () => {
    expect(toPaymentRequest({ amount: '0.00', paid_on: '' })).toEqual({ problem: 'The amount must be more than zero.' });
    for (const amount of ['-5', 'ten', '1.005', '']) {
      expect(toPaymentRequest({ amount, paid_on: '' })).toHaveProperty('problem');
    }
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(toPaymentRequest({ amount: '10', paid_on: '30/11/2026' })).toHaveProperty('problem');
  });
});
