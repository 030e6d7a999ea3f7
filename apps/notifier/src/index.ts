// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { NOTIFIER } from './main';
export { AppModule } from './app.module';
export { NotifierConfig, loadNotifierConfig } from './config';
