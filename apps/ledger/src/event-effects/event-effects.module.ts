import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventEffectsController } from './event-effects.controller';
import { GetEventEffectsHandler } from './get-event-effects.query';

/** GET /events/{id}/effects: what one event changed, across the read models. */
@Module({
  imports: [CqrsModule],
  controllers: [EventEffectsController],
  providers: [GetEventEffectsHandler],
})
export class EventEffectsModule {}
