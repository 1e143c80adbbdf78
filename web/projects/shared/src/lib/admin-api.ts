import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { AdminBooking, Launch, Page, Reach, Rocket } from './models';

export interface NewRocket {
  name: string;
  model: string;
  capacity: number;
  range: Reach;
}

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

  launches(): Observable<Launch[]> {
    return this.http.get<Page<Launch>>(`${API}/launches`).pipe(map((page) => page.items));
  }

  scheduleLaunch(launch: NewLaunch): Observable<Launch> {
    return this.http.post<Launch>(`${API}/launches`, launch);
  }

  abortLaunch(launchId: string, reason: string): Observable<Launch> {
    return this.http.post<Launch>(`${API}/launches/${encodeURIComponent(launchId)}/abort`, { reason });
  }

  bookings(launchId?: string): Observable<AdminBooking[]> {
    const params = launchId ? new HttpParams().set('launch_id', launchId) : undefined;
    return this.http.get<Page<AdminBooking>>(`${API}/bookings`, { params }).pipe(map((page) => page.items));
  }
}
