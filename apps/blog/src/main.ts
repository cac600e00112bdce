// Entry point of the blog service: wiring only (see service.ts).
import { runService } from '@blog/framework';
import { blogService } from './service';

void runService(blogService());
