// Entry point of the user service: wiring only (see service.ts).
// First: the OpenTelemetry instrumentations must patch pg and http before anything loads them.
import '@blog/framework/instrument';
import { runService } from '@blog/framework';
import { userService } from './service';

void runService(userService());
