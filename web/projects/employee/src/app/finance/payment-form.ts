import { NewPayment, parseDollars } from '@astro/shared';

export interface PaymentFormValue {
  /** Dollars as typed: "1,250.50". */
  amount: string;
  /** `YYYY-MM-DD`, or blank for today (the server's clock). */
  paid_on: string;
}

export function emptyPaymentForm(): PaymentFormValue {
  return { amount: '', paid_on: '' };
}

/** The payment request for the form, or the problem to show beside it. The amount goes out as
 * integer cents; a balance is not checked here, the server answers 409 `overpayment` for that. */
export function toPaymentRequest(form: PaymentFormValue): { request: NewPayment } | { problem: string } {
  const cents = parseDollars(form.amount);
  if (cents === null) {
    return { problem: 'Enter the amount in dollars, with at most two decimals, such as 1,250.50.' };
  }
  if (cents <= 0) {
    return { problem: 'The amount must be more than zero.' };
  }
  const paidOn = form.paid_on.trim();
  if (paidOn !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(paidOn)) {
    return { problem: 'Enter the payment date as YYYY-MM-DD, or leave it blank for today.' };
  }
  return { request: paidOn === '' ? { amount_cents: cents } : { amount_cents: cents, paid_on: paidOn } };
}
