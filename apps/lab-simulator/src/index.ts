// What tests and the benchmark runner's suites use: a simulator to start in-process, and the task generator.
export { BehaviourError, createLabSimulator, validateBehaviour } from './simulator';
export type { LabSimulator, LabSimulatorBehaviour, LabSimulatorOptions, RequestLogEntry, RequestOutcome } from './simulator';
export { generateTask, generateTasks, solve, TASK_KINDS, wrongAnswer } from './tasks';
export type { GeneratedTask, TaskKind } from './tasks';
export { mulberry32 } from './rng';
export type { Rng } from './rng';
export { LabSimulatorConfig, loadLabSimulatorConfig, simulatorOptionsFrom } from './config';
export { main } from './main';
