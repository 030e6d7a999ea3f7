// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { VULN_CLEARINGHOUSE } from './main';
export { AppModule } from './app.module';
export { VulnClearinghouseConfig, loadVulnClearinghouseConfig } from './config';
