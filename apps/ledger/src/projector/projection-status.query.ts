import { Query } from '@nestjs/cqrs';
import type { ProjectionStatus } from '@ledger/event-store';

/** Each read model's projection: checkpoint, events behind the head of the log, parked events, last error. */
export class ProjectionStatusQuery extends Query<ProjectionStatus[]> {}
