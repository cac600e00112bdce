// Entry point of the subscribe service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { subscribeService } from './service';

void runService(subscribeService());
