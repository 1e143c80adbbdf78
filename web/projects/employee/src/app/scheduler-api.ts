import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { Job, JobRun, Page } from '@astro/shared';

/** The scheduler role's jobs (IT only): how each is doing, and running one now. */
@Injectable({ providedIn: 'root' })
export class SchedulerApi {
  private readonly http = inject(HttpClient);

  jobs(): Observable<Job[]> {
    return this.http.get<Page<Job>>('/api/scheduler/jobs').pipe(map((page) => page.items));
  }

  /** Runs the job now and answers with its run once it has finished. */
  runNow(name: string): Observable<JobRun> {
    return this.http.post<JobRun>(`/api/scheduler/jobs/${encodeURIComponent(name)}/run`, {});
  }
}
