// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { WINDOW_SCHEDULER } from './main';
export { AppModule } from './app.module';
export { loadWindowSchedulerConfig, WindowSchedulerConfig } from './config';
