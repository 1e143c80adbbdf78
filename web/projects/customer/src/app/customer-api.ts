import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { Booking, Page, Passenger, PublicLaunch, Reach, RefundPreview, TravelerProfile } from '@astro/shared';

export type ListingSort = 'date' | 'price_asc' | 'price_desc' | 'free_seats';

export interface ListingFilter {
  destination?: Reach | '';
  sort?: ListingSort;
}

const API = '/api/customer';

@Injectable({ providedIn: 'root' })
export class CustomerApi {
  private readonly http = inject(HttpClient);

  launches(filter: ListingFilter = {}): Observable<PublicLaunch[]> {
    let params = new HttpParams();
    if (filter.destination) params = params.set('destination', filter.destination);
    if (filter.sort) params = params.set('sort', filter.sort);
    return this.http.get<Page<PublicLaunch>>(`${API}/launches`, { params }).pipe(map((page) => page.items));
  }

  launch(slug: string): Observable<PublicLaunch> {
    return this.http.get<PublicLaunch>(`${API}/launches/${encodeURIComponent(slug)}`);
  }

  /** The key makes a retried request return the first booking instead of booking twice. */
  book(launchId: string, passengers: Passenger[], idempotencyKey: string): Observable<Booking> {
    return this.http.post<Booking>(
      `${API}/bookings`,
      { launch_id: launchId, passengers },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
  }

  refundPreview(bookingId: string): Observable<RefundPreview> {
    return this.http.get<RefundPreview>(`${API}/bookings/${encodeURIComponent(bookingId)}/refund`);
  }

  cancel(bookingId: string, reason: string): Observable<Booking> {
    const body = reason.trim() ? { reason: reason.trim() } : {};
    return this.http.post<Booking>(`${API}/bookings/${encodeURIComponent(bookingId)}/cancel`, body);
  }

  myBookings(): Observable<Booking[]> {
    return this.http.get<Page<Booking>>(`${API}/bookings`).pipe(map((page) => page.items));
  }

  profile(): Observable<TravelerProfile> {
    return this.http.get<TravelerProfile>(`${API}/profile`);
  }

  saveProfile(profile: TravelerProfile): Observable<TravelerProfile> {
    return this.http.put<TravelerProfile>(`${API}/profile`, profile);
  }
}
