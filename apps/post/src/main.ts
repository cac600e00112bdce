// Entry point of the post service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { postService } from './service';

void runService(postService());
