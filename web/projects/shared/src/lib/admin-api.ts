import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { AdminBooking, AgencyProfile, Launch, LaunchPassenger, Page, Reach, Rocket, StatusChangeRequest } from './models';

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
}
