// The shapes the three APIs speak (docs/api.md). Money is integer cents, times are RFC 3339 strings.

export type Role = 'traveler' | 'agency' | 'financial' | 'it';
export type Reach = 'suborbital' | 'low_earth_orbit' | 'moon' | 'mars';

export const REACHES: readonly Reach[] = ['suborbital', 'low_earth_orbit', 'moon', 'mars'];

/** A disabled account cannot sign in; IT disables and enables accounts. */
export type AccountStatus = 'active' | 'disabled';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  created_at: string;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

export interface Page<T> {
  items: T[];
}

export interface Rocket {
  id: string;
  agency_id: string;
  name: string;
  model: string;
  capacity: number;
  range: Reach;
  active: boolean;
  created_at: string;
}

/** domain.md's lifecycle: `launched`, `failed` and `aborted` are final. */
export type LaunchStatus = 'scheduled' | 'confirmed' | 'delayed' | 'aborted' | 'launched' | 'failed';

/** One entry of a launch's status history (oldest first); `from` is null for the first one. */
export interface StatusChange {
  from: LaunchStatus | null;
  to: LaunchStatus;
  at: string;
  /** The acting user's id, or `"scheduler"` for the minimum-passenger decision. */
  by: string;
  reason: string | null;
}

/** What the traveller sees of a change: who made it stays with the agency. */
export type BookingStatusChange = Omit<StatusChange, 'by'>;

export interface Launch {
  id: string;
  agency_id: string;
  rocket_id: string;
  rocket_name: string;
  mission_name: string;
  spaceport: string;
  destination: Reach;
  launch_at: string;
  price_per_seat_cents: number;
  minimum_passengers: number;
  capacity: number;
  seats_sold: number;
  status: LaunchStatus;
  slug: string;
  created_at: string;
  status_reason: string | null;
  status_history: StatusChange[];
  /** The statuses the lifecycle allows next; `launched` only once the launch date is reached. */
  allowed_transitions: LaunchStatus[];
  seats_free: number;
  /** seats_sold / capacity × 100, one decimal. */
  occupancy_percent: number;
  /** What travellers paid minus refunds. */
  revenue_cents: number;
  refunds_cents: number;
}

/** What `POST /api/admin/launches/{id}/status` takes. */
export interface StatusChangeRequest {
  status: LaunchStatus;
  reason?: string;
  launch_at?: string;
}

/** A passenger of an active booking, as the launch's agency sees them. */
export interface LaunchPassenger {
  booking_id: string;
  name: string;
  email: string;
  phone: string;
  age: number;
}

export interface PublicLaunch {
  id: string;
  slug: string;
  mission_name: string;
  rocket_name: string;
  spaceport: string;
  destination: Reach;
  launch_at: string;
  price_per_seat_cents: number;
  capacity: number;
  free_seats: number;
  status: LaunchStatus;
}

export interface Passenger {
  name: string;
  email: string;
  phone: string;
  age: number;
}

export interface Cancellation {
  cause: 'traveler' | 'launch_aborted';
  cancelled_at: string;
  reason?: string | null;
  refund_percent: number;
  refund_cents: number;
  seats_released: boolean;
}

export interface RefundPreview {
  booking_id: string;
  refund_percent: number;
  refund_cents: number;
  seats_released: boolean;
  cancellable: boolean;
}

export interface Booking {
  id: string;
  launch_id: string;
  launch_slug: string;
  mission_name: string;
  launch_at: string;
  seats: number;
  seat_numbers: number[];
  price_per_seat_cents: number;
  total_cents: number;
  status: 'confirmed' | 'cancelled';
  passengers: Passenger[];
  created_at: string;
  cancellation?: Cancellation;
  launch_status: LaunchStatus;
  launch_status_history: BookingStatusChange[];
}

/** The agency's own details (`/api/admin/profile`); tax id and legal address are required. */
export interface AgencyProfile {
  legal_name: string;
  tax_id: string;
  legal_address: string;
  contact_email: string;
  description: string;
}

/** The traveller's own details (`/api/customer/profile`); every field may be left empty. */
export interface TravelerProfile {
  phone: string | null;
  contact_email: string | null;
  emergency_contact: string | null;
  tax_id: string | null;
}

export interface AdminBooking {
  id: string;
  launch_id: string;
  traveler_id: string;
  traveler_name: string;
  traveler_email: string;
  seats: number;
  price_per_seat_cents: number;
  total_cents: number;
  status: string;
  passengers: Passenger[];
  created_at: string;
  refund_cents: number;
  cancelled_at?: string | null;
  cancellation_reason?: string | null;
}

export interface LogEntry {
  id: string;
  time: string;
  level: 'info' | 'warning' | 'error';
  service: string;
  event: string;
  user_id?: string;
  entity_type?: string;
  entity_id?: string;
  request_id?: string;
  message: string;
  data: unknown;
}

export interface Notification {
  id: string;
  event: string;
  recipient_email: string;
  recipient_name: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error?: string;
  created_at: string;
  updated_at: string;
}

export interface SyncJob {
  id: string;
  event: string;
  origin_service: string;
  origin_user_id?: string;
  action: string;
  entity_type: string;
  entity_id: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  attempts: number;
  last_error?: string;
  created_at: string;
  updated_at: string;
}

export interface ActorHealth {
  name: string;
  supervisor: string;
  state: string;
  last_heartbeat: string;
  restarts: number;
  panics: number;
  last_error?: string;
}

export type JobOutcome = 'running' | 'succeeded' | 'failed';

/** One run of a scheduler job, recorded durably by the scheduler role. */
export interface JobRun {
  id: string;
  job: string;
  started_at: string;
  finished_at: string | null;
  outcome: JobOutcome;
  /** Units of work done (launches decided, notices sent, notifications retried). */
  units: number;
  error: string | null;
}

/** A job the scheduler runs on its tick (`/api/scheduler/jobs`). */
export interface Job {
  name: string;
  description: string;
  schedule: string;
  last_run: JobRun | null;
  next_run_at: string | null;
  counts: { succeeded: number; failed: number };
}

export interface RoleHealth {
  role: string;
  actors: ActorHealth[];
}

export type InvoiceStatus = 'pending' | 'partially_paid' | 'paid' | 'overdue';

/** How an invoice's amount was computed: a share (basis points) of a basis, or a flat fee. */
export interface InvoiceLine {
  description: string;
  basis_cents: number;
  rate_basis_points: number;
  amount_cents: number;
}

export interface Payment {
  id: string;
  invoice_id: string;
  amount_cents: number;
  paid_on: string;
  recorded_by: string;
  created_at: string;
}

/** The platform's fee for one launched or aborted launch, with its payments. */
export interface Invoice {
  id: string;
  number: string;
  agency_id: string;
  agency_name: string;
  launch_id: string;
  mission_name: string;
  launch_outcome: string;
  issued_on: string;
  due_on: string;
  amount_cents: number;
  paid_cents: number;
  balance_cents: number;
  status: InvoiceStatus;
  reliable_agency: boolean;
  lines: InvoiceLine[];
  reminders_sent: number;
  payments: Payment[];
}

export interface InvoiceFilter {
  status?: InvoiceStatus | '';
  agency_id?: string;
  launch_id?: string;
  from?: string;
  to?: string;
}

export interface NewPayment {
  amount_cents: number;
  paid_on?: string;
}

export interface RevenueAmounts {
  fees_invoiced_cents: number;
  received_cents: number;
  pending_cents: number;
}

export interface RevenueAgency extends RevenueAmounts {
  agency_id: string;
  agency_name: string;
  reliable: boolean;
  launched: number;
  aborted: number;
  net_revenue_cents: number;
}

export interface RevenueMonth extends RevenueAmounts {
  /** `YYYY-MM` */
  month: string;
}

export interface RevenueReport {
  from: string;
  to: string;
  agencies: RevenueAgency[];
  months: RevenueMonth[];
  totals: RevenueAmounts & { launched: number; aborted: number; net_revenue_cents: number };
}

export interface RevenueFilter {
  from?: string;
  to?: string;
  agency_id?: string;
}
