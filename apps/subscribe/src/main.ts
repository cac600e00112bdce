// Entry point of the subscribe service: wiring only (see service.ts).
// First: the OpenTelemetry instrumentations must patch pg and http before anything loads them.
import '@blog/framework/instrument';
import { runService } from '@blog/framework';
import { subscribeService } from './service';

void runService(subscribeService());
