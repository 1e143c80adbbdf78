import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import {
  AdminBooking,
  AgencyProfile,
  Invoice,
  InvoiceFilter,
  Launch,
  LaunchPassenger,
  NewPayment,
  Page,
  Reach,
  RevenueFilter,
  RevenueReport,
  Rocket,
  StatusChangeRequest,
} from './models';

export interface NewRocket {
  name: string;
  model: string;
  capacity: number;
  range: Reach;
}

/** The fields of a rocket an agency changes; what is left out stays as it is. */
export type RocketChanges = Partial<NewRocket>;

export interface NewLaunch {
  rocket_id: string;
  mission_name: string;
  spaceport: string;
  destination: Reach;
  launch_at: string;
  price_per_seat_cents: number;
  minimum_passengers: number;
}

const API = '/api/admin';

/** Query parameters from a filter, leaving out the blank ones. */
export function paramsOf(filter: object): HttpParams {
  return Object.entries(filter).reduce(
    (params, [key, value]) => (typeof value === 'string' && value.trim() !== '' ? params.set(key, value.trim()) : params),
    new HttpParams(),
  );
}

/** Saves a downloaded file under its name: the download goes through HttpClient so that it carries
 * the bearer token, which a plain link would not. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked once the click's download has started; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The operations API: agencies see their own rockets, launches and bookings; employees see all. */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  rockets(): Observable<Rocket[]> {
    return this.http.get<Page<Rocket>>(`${API}/rockets`).pipe(map((page) => page.items));
  }

  createRocket(rocket: NewRocket): Observable<Rocket> {
    return this.http.post<Rocket>(`${API}/rockets`, rocket);
  }

  updateRocket(rocketId: string, changes: RocketChanges): Observable<Rocket> {
    return this.http.patch<Rocket>(`${API}/rockets/${encodeURIComponent(rocketId)}`, changes);
  }

  /** Refused with 409 `rocket_has_future_launches` while one of its launches is not over. */
  deactivateRocket(rocketId: string): Observable<Rocket> {
    return this.http.post<Rocket>(`${API}/rockets/${encodeURIComponent(rocketId)}/deactivate`, {});
  }

  launches(): Observable<Launch[]> {
    return this.http.get<Page<Launch>>(`${API}/launches`).pipe(map((page) => page.items));
  }

  scheduleLaunch(launch: NewLaunch): Observable<Launch> {
    return this.http.post<Launch>(`${API}/launches`, launch);
  }

  launch(launchId: string): Observable<Launch> {
    return this.http.get<Launch>(`${API}/launches/${encodeURIComponent(launchId)}`);
  }

  /** Confirm, delay, back to scheduled or confirmed, abort, launched, failed: what its
   * `allowed_transitions` permit; refused with 409 `invalid_transition` otherwise. */
  changeStatus(launchId: string, change: StatusChangeRequest): Observable<Launch> {
    return this.http.post<Launch>(`${API}/launches/${encodeURIComponent(launchId)}/status`, change);
  }

  /** The passengers of the launch's active bookings. */
  passengers(launchId: string): Observable<LaunchPassenger[]> {
    return this.http
      .get<Page<LaunchPassenger>>(`${API}/launches/${encodeURIComponent(launchId)}/passengers`)
      .pipe(map((page) => page.items));
  }

  bookings(launchId?: string): Observable<AdminBooking[]> {
    const params = launchId ? new HttpParams().set('launch_id', launchId) : undefined;
    return this.http.get<Page<AdminBooking>>(`${API}/bookings`, { params }).pipe(map((page) => page.items));
  }

  profile(): Observable<AgencyProfile> {
    return this.http.get<AgencyProfile>(`${API}/profile`);
  }

  saveProfile(profile: AgencyProfile): Observable<AgencyProfile> {
    return this.http.put<AgencyProfile>(`${API}/profile`, profile);
  }

  /** An agency gets its own invoices, finance all of them. */
  invoices(filter: InvoiceFilter = {}): Observable<Invoice[]> {
    return this.http.get<Page<Invoice>>(`${API}/invoices`, { params: paramsOf(filter) }).pipe(map((page) => page.items));
  }

  invoice(invoiceId: string): Observable<Invoice> {
    return this.http.get<Invoice>(`${API}/invoices/${encodeURIComponent(invoiceId)}`);
  }

  /** 409 `overpayment` above the balance (nothing stored); 400 for a bad amount or date. */
  recordPayment(invoiceId: string, payment: NewPayment): Observable<Invoice> {
    return this.http.post<Invoice>(`${API}/invoices/${encodeURIComponent(invoiceId)}/payments`, payment);
  }

  resendInvoice(invoiceId: string): Observable<{ invoice_id: string; to: string }> {
    return this.http.post<{ invoice_id: string; to: string }>(`${API}/invoices/${encodeURIComponent(invoiceId)}/resend`, {});
  }

  invoicePdf(invoiceId: string): Observable<Blob> {
    return this.http.get(`${API}/invoices/${encodeURIComponent(invoiceId)}/pdf`, { responseType: 'blob' });
  }

  revenue(filter: RevenueFilter = {}): Observable<RevenueReport> {
    return this.http.get<RevenueReport>(`${API}/reports/revenue`, { params: paramsOf(filter) });
  }

  revenueCsv(filter: RevenueFilter = {}): Observable<Blob> {
    return this.http.get(`${API}/reports/revenue`, { params: paramsOf(filter).set('format', 'csv'), responseType: 'blob' });
  }
}

/** Fetches an invoice's PDF with the session's token and saves it as `INV-….pdf`. */
export function downloadInvoicePdf(
  api: AdminApi,
  invoice: { id: string; number: string },
  onError: (error: unknown) => void,
): void {
  api.invoicePdf(invoice.id).subscribe({
    next: (blob) => saveBlob(blob, `${invoice.number}.pdf`),
    error: onError,
  });
}
