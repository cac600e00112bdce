// Test-only: the real visitor service on the local stack (see @blog/testing startOnStack); its tap (`emitted`) sees
// events.visitor.stats.
import { AggregateTypes, visitor } from '@blog/proto';
import { startOnStack, type StackHarness } from '@blog/testing';
import type { VisitorConfig } from '../config';
import { visitorService } from '../service';

/** VisitorHarness is a running visitor service and what a test needs around it. */
export type VisitorHarness = StackHarness<VisitorConfig, typeof visitor.VisitorServiceService>;

/** startVisitor starts the service (store on the visitor schema). */
export function startVisitor(): Promise<VisitorHarness> {
  return startOnStack({
    service: visitorService,
    definition: visitor.VisitorServiceService,
    schema: 'visitor',
    emits: [AggregateTypes.stats],
  });
}
