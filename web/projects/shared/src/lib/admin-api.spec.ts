import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AdminApi, paramsOf } from './admin-api';

describe('paramsOf', () => {
  it('sends only the filters that were set, trimmed', () => {
    const params = paramsOf({ status: 'overdue', agency_id: '  ', from: ' 2026-01-01 ', to: undefined });
    expect(params.keys()).toEqual(['status', 'from']);
    expect(params.get('from')).toBe('2026-01-01');
  });
});

describe('AdminApi downloads', () => {
  let api: AdminApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(AdminApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks for the revenue CSV as a blob with the filters and format=csv', () => {
    let received: Blob | undefined;
    api.revenueCsv({ from: '2026-01-01', agency_id: '' }).subscribe((blob) => (received = blob));
    const request = http.expectOne('/api/admin/reports/revenue?from=2026-01-01&format=csv');
    expect(request.request.responseType).toBe('blob');
    request.flush(new Blob(['agency\n'], { type: 'text/csv' }));
    expect(received).toBeInstanceOf(Blob);
  });

  it('asks for an invoice PDF as a blob', () => {
    api.invoicePdf('inv 1').subscribe();
    const request = http.expectOne('/api/admin/invoices/inv%201/pdf');
    expect(request.request.responseType).toBe('blob');
    request.flush(new Blob(['%PDF']));
  });

  it('records a payment in integer cents', () => {
    api.recordPayment('i1', { amount_cents: 900_050 }).subscribe();
    const request = http.expectOne('/api/admin/invoices/i1/payments');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ amount_cents: 900_050 });
    request.flush({});
  });
});
