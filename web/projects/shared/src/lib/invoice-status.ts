import { InvoiceStatus } from './models';

const names: Record<InvoiceStatus, string> = {
  pending: 'Pending',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  overdue: 'Overdue',
};

export const INVOICE_STATUSES = Object.keys(names) as InvoiceStatus[];

export function invoiceStatusName(status: InvoiceStatus): string {
  return names[status] ?? status;
}
