import type { PublicationStatus, ScheduleStatus, StreamStatus } from '../db/schema.js';
import type { PublicationStatusName, ScheduleStatusName, StreamStatusName } from '../../schemas/statuses.js';

// The database spells its status columns as types of its own; the API's enums live in schemas/statuses.ts.
// These fail to compile the day the two drift apart, so the document never lists a value the database
// cannot hold, or misses one it can.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

export type EnumChecks = [
  Expect<Same<StreamStatus, StreamStatusName>>,
  Expect<Same<ScheduleStatus, ScheduleStatusName>>,
  Expect<Same<PublicationStatus, PublicationStatusName>>,
];
