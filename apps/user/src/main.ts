// Entry point of the user service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { userService } from './service';

void runService(userService());
