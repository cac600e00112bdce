// Entry point of the blog service: wiring only (see service.ts).
// First: the OpenTelemetry instrumentations must patch pg and http before anything loads them.
import '@blog/framework/instrument';
import { runService } from '@blog/framework';
import { blogService } from './service';

void runService(blogService());
