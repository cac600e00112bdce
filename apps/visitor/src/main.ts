// Entry point of the visitor service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { visitorService } from './service';

void runService(visitorService());
