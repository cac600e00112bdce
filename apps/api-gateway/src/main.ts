// Entry point of the gateway: wiring only (see service.ts).
// First: the OpenTelemetry instrumentations must patch pg and http before anything loads them.
import '@blog/framework/instrument';
import { runHttpService } from '@blog/framework/core';
import { gatewayService } from './service';

void runHttpService(gatewayService());
