// Entry point of the auth service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { authService } from './service';

void runService(authService());
