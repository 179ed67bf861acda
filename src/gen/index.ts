/** Generated traffic with known outcomes: scenarios, ground truth and the writers of every format. */
export { Prng } from './prng.js';
export {
  type GenCall,
  type CallTimes,
  type RouteProfile,
  type ScenarioSpec,
  type Scenario,
  type GroundTruth,
  type RouteTruth,
  callTimes,
  dispositionOf,
  fixedScenario,
  randomScenario,
  chainScenarios,
  groundTruth,
  billsec,
  reasonOf,
  Q850_OF,
} from './scenario.js';
export { type SipEvent, callMessages, rtpPorts } from './sip.js';
export { type CaptureOptions, type CaptureStats, type LinkKind, writeCapture } from './capture.js';
export { type LogOptions, writeAsteriskLog, callLogLines } from './asterisk.js';
export { type CarrierCsvOptions, CARRIER_HEADER, writeMasterCsv, writeCarrierCsv, masterCsvRow, carrierCsvRow } from './cdr.js';
export { ByteOut, renderToBuffer, renderToFile, fileSink, memorySink } from './out.js';
export * from './fixtures.js';
