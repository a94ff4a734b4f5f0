/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AssetDetail($path: [String!]!) {\n    asset(key: { path: $path }) {\n      key { path }\n      locationName\n      groupName\n      description\n      kinds\n      owners\n      tags { key value }\n      codeVersion\n      isMaterializable\n      isPartitioned\n      partitionsDescription\n      automationCondition\n      metadata { label kind value }\n      dependencyKeys { path }\n      dependedByKeys { path }\n      lastRunId\n      staleStatus { status causes { category reason dependency { path } } }\n      materializations(first: 200) {\n        nodes { storageId runId timestamp partition description metadata { label kind value number } }\n      }\n      partitionStatus {\n        description kind firstKey lastKey error\n        counts { materialized failed inProgress missing total }\n        ranges { start end status count }\n      }\n      checks {\n        name description blocking\n        evaluations(first: 20) { passed severity runId timestamp description }\n      }\n    }\n  }\n": typeof types.AssetDetailDocument,
    "\n  query Capabilities {\n    server {\n      version\n      readOnly\n    }\n  }\n": typeof types.CapabilitiesDocument,
    "\n  query AssetGraph {\n    assetGraph { definitions }\n  }\n": typeof types.AssetGraphDocument,
    "\n  query AssetGraphState {\n    assetGraph { state }\n  }\n": typeof types.AssetGraphStateDocument,
    "\n  mutation Materialize($input: MaterializeInput!) {\n    materialize(input: $input) {\n      run { runId status }\n      errors { message kind field }\n    }\n  }\n": typeof types.MaterializeDocument,
    "\n  mutation LaunchJob($input: LaunchJobInput!) {\n    launchJob(input: $input) {\n      run { runId }\n      errors { message kind field }\n    }\n  }\n": typeof types.LaunchJobDocument,
    "\n  mutation Terminate($runIds: [ID!]!) {\n    terminateRuns(runIds: $runIds) {\n      results { runId changed message }\n      errors { message }\n    }\n  }\n": typeof types.TerminateDocument,
    "\n  mutation Reexecute($input: ReexecuteInput!) {\n    reexecuteRun(input: $input) {\n      run { runId }\n      errors { message }\n    }\n  }\n": typeof types.ReexecuteDocument,
    "\n  mutation ReloadLocation($name: String!) {\n    reloadCodeLocation(name: $name) { errors { message } }\n  }\n": typeof types.ReloadLocationDocument,
    "\n  query Runs($filter: RunsFilter, $first: Int, $after: String) {\n    runs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        runId jobName status partition createTime startTime endTime durationSeconds\n        assetSelection { path }\n        tags { key value }\n      }\n    }\n  }\n": typeof types.RunsDocument,
    "\n  query Run($runId: ID!) {\n    run(runId: $runId) {\n      runId jobName status partition parentRunId rootRunId locationName\n      createTime startTime endTime durationSeconds isFinished runConfig\n      assetSelection { path }\n      tags { key value }\n    }\n  }\n": typeof types.RunDocument,
    "\n  subscription RunEvents($runId: ID!, $after: String) {\n    runEvents(runId: $runId, after: $after) {\n      cursor\n      runStatus\n      isFinished\n      events { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }\n    }\n  }\n": typeof types.RunEventsDocument,
    "\n  query DaemonHealth {\n    daemonHealth { running healthy daemonId loops { name healthy lastHeartbeat lastError } }\n  }\n": typeof types.DaemonHealthDocument,
    "\n  query CodeLocations {\n    codeLocations {\n      name status definitionsAreStale snapshotId pid restarts assetCount\n      error { message traceback }\n      jobs { name }\n      schedules { name }\n      sensors { name }\n    }\n  }\n": typeof types.CodeLocationsDocument,
    "\n  query Automation {\n    schedules {\n      name locationName cronSchedules jobName executionTimezone description defaultStatus status\n      lastTickTimestamp nextTicks(count: 3)\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n    sensors {\n      name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus status\n      cursor lastTickTimestamp\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n  }\n": typeof types.AutomationDocument,
    "\n  mutation StartSchedule($locationName: String!, $name: String!) {\n    startSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n": typeof types.StartScheduleDocument,
    "\n  mutation StopSchedule($locationName: String!, $name: String!) {\n    stopSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n": typeof types.StopScheduleDocument,
    "\n  mutation StartSensor($locationName: String!, $name: String!) {\n    startSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n": typeof types.StartSensorDocument,
    "\n  mutation StopSensor($locationName: String!, $name: String!) {\n    stopSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n": typeof types.StopSensorDocument,
    "\n  mutation CancelBackfill($backfillId: ID!) {\n    cancelBackfill(backfillId: $backfillId) { backfill { backfillId status } errors { message } }\n  }\n": typeof types.CancelBackfillDocument,
    "\n  query Backfills {\n    backfills(first: 100) {\n      backfillId status partitionKeys partitionRange allPartitions createTime runIds error\n      assetSelection { path }\n    }\n  }\n": typeof types.BackfillsDocument,
    "\n  query Jobs {\n    jobs { name kind locationName description partitionsDescription assetKeys { path } }\n  }\n": typeof types.JobsDocument,
    "\n  subscription LocationChanges {\n    codeLocations { name status snapshotId definitionsAreStale error { message } }\n  }\n": typeof types.LocationChangesDocument,
    "\n  query CapturedLogs($runId: ID!, $stepKey: String) {\n    capturedLogs(runId: $runId, stepKey: $stepKey) { stepKey stdout stderr truncated }\n  }\n": typeof types.CapturedLogsDocument,
};
const documents: Documents = {
    "\n  query AssetDetail($path: [String!]!) {\n    asset(key: { path: $path }) {\n      key { path }\n      locationName\n      groupName\n      description\n      kinds\n      owners\n      tags { key value }\n      codeVersion\n      isMaterializable\n      isPartitioned\n      partitionsDescription\n      automationCondition\n      metadata { label kind value }\n      dependencyKeys { path }\n      dependedByKeys { path }\n      lastRunId\n      staleStatus { status causes { category reason dependency { path } } }\n      materializations(first: 200) {\n        nodes { storageId runId timestamp partition description metadata { label kind value number } }\n      }\n      partitionStatus {\n        description kind firstKey lastKey error\n        counts { materialized failed inProgress missing total }\n        ranges { start end status count }\n      }\n      checks {\n        name description blocking\n        evaluations(first: 20) { passed severity runId timestamp description }\n      }\n    }\n  }\n": types.AssetDetailDocument,
    "\n  query Capabilities {\n    server {\n      version\n      readOnly\n    }\n  }\n": types.CapabilitiesDocument,
    "\n  query AssetGraph {\n    assetGraph { definitions }\n  }\n": types.AssetGraphDocument,
    "\n  query AssetGraphState {\n    assetGraph { state }\n  }\n": types.AssetGraphStateDocument,
    "\n  mutation Materialize($input: MaterializeInput!) {\n    materialize(input: $input) {\n      run { runId status }\n      errors { message kind field }\n    }\n  }\n": types.MaterializeDocument,
    "\n  mutation LaunchJob($input: LaunchJobInput!) {\n    launchJob(input: $input) {\n      run { runId }\n      errors { message kind field }\n    }\n  }\n": types.LaunchJobDocument,
    "\n  mutation Terminate($runIds: [ID!]!) {\n    terminateRuns(runIds: $runIds) {\n      results { runId changed message }\n      errors { message }\n    }\n  }\n": types.TerminateDocument,
    "\n  mutation Reexecute($input: ReexecuteInput!) {\n    reexecuteRun(input: $input) {\n      run { runId }\n      errors { message }\n    }\n  }\n": types.ReexecuteDocument,
    "\n  mutation ReloadLocation($name: String!) {\n    reloadCodeLocation(name: $name) { errors { message } }\n  }\n": types.ReloadLocationDocument,
    "\n  query Runs($filter: RunsFilter, $first: Int, $after: String) {\n    runs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        runId jobName status partition createTime startTime endTime durationSeconds\n        assetSelection { path }\n        tags { key value }\n      }\n    }\n  }\n": types.RunsDocument,
    "\n  query Run($runId: ID!) {\n    run(runId: $runId) {\n      runId jobName status partition parentRunId rootRunId locationName\n      createTime startTime endTime durationSeconds isFinished runConfig\n      assetSelection { path }\n      tags { key value }\n    }\n  }\n": types.RunDocument,
    "\n  subscription RunEvents($runId: ID!, $after: String) {\n    runEvents(runId: $runId, after: $after) {\n      cursor\n      runStatus\n      isFinished\n      events { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }\n    }\n  }\n": types.RunEventsDocument,
    "\n  query DaemonHealth {\n    daemonHealth { running healthy daemonId loops { name healthy lastHeartbeat lastError } }\n  }\n": types.DaemonHealthDocument,
    "\n  query CodeLocations {\n    codeLocations {\n      name status definitionsAreStale snapshotId pid restarts assetCount\n      error { message traceback }\n      jobs { name }\n      schedules { name }\n      sensors { name }\n    }\n  }\n": types.CodeLocationsDocument,
    "\n  query Automation {\n    schedules {\n      name locationName cronSchedules jobName executionTimezone description defaultStatus status\n      lastTickTimestamp nextTicks(count: 3)\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n    sensors {\n      name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus status\n      cursor lastTickTimestamp\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n  }\n": types.AutomationDocument,
    "\n  mutation StartSchedule($locationName: String!, $name: String!) {\n    startSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n": types.StartScheduleDocument,
    "\n  mutation StopSchedule($locationName: String!, $name: String!) {\n    stopSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n": types.StopScheduleDocument,
    "\n  mutation StartSensor($locationName: String!, $name: String!) {\n    startSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n": types.StartSensorDocument,
    "\n  mutation StopSensor($locationName: String!, $name: String!) {\n    stopSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n": types.StopSensorDocument,
    "\n  mutation CancelBackfill($backfillId: ID!) {\n    cancelBackfill(backfillId: $backfillId) { backfill { backfillId status } errors { message } }\n  }\n": types.CancelBackfillDocument,
    "\n  query Backfills {\n    backfills(first: 100) {\n      backfillId status partitionKeys partitionRange allPartitions createTime runIds error\n      assetSelection { path }\n    }\n  }\n": types.BackfillsDocument,
    "\n  query Jobs {\n    jobs { name kind locationName description partitionsDescription assetKeys { path } }\n  }\n": types.JobsDocument,
    "\n  subscription LocationChanges {\n    codeLocations { name status snapshotId definitionsAreStale error { message } }\n  }\n": types.LocationChangesDocument,
    "\n  query CapturedLogs($runId: ID!, $stepKey: String) {\n    capturedLogs(runId: $runId, stepKey: $stepKey) { stepKey stdout stderr truncated }\n  }\n": types.CapturedLogsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetDetail($path: [String!]!) {\n    asset(key: { path: $path }) {\n      key { path }\n      locationName\n      groupName\n      description\n      kinds\n      owners\n      tags { key value }\n      codeVersion\n      isMaterializable\n      isPartitioned\n      partitionsDescription\n      automationCondition\n      metadata { label kind value }\n      dependencyKeys { path }\n      dependedByKeys { path }\n      lastRunId\n      staleStatus { status causes { category reason dependency { path } } }\n      materializations(first: 200) {\n        nodes { storageId runId timestamp partition description metadata { label kind value number } }\n      }\n      partitionStatus {\n        description kind firstKey lastKey error\n        counts { materialized failed inProgress missing total }\n        ranges { start end status count }\n      }\n      checks {\n        name description blocking\n        evaluations(first: 20) { passed severity runId timestamp description }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssetDetail($path: [String!]!) {\n    asset(key: { path: $path }) {\n      key { path }\n      locationName\n      groupName\n      description\n      kinds\n      owners\n      tags { key value }\n      codeVersion\n      isMaterializable\n      isPartitioned\n      partitionsDescription\n      automationCondition\n      metadata { label kind value }\n      dependencyKeys { path }\n      dependedByKeys { path }\n      lastRunId\n      staleStatus { status causes { category reason dependency { path } } }\n      materializations(first: 200) {\n        nodes { storageId runId timestamp partition description metadata { label kind value number } }\n      }\n      partitionStatus {\n        description kind firstKey lastKey error\n        counts { materialized failed inProgress missing total }\n        ranges { start end status count }\n      }\n      checks {\n        name description blocking\n        evaluations(first: 20) { passed severity runId timestamp description }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Capabilities {\n    server {\n      version\n      readOnly\n    }\n  }\n"): (typeof documents)["\n  query Capabilities {\n    server {\n      version\n      readOnly\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetGraph {\n    assetGraph { definitions }\n  }\n"): (typeof documents)["\n  query AssetGraph {\n    assetGraph { definitions }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetGraphState {\n    assetGraph { state }\n  }\n"): (typeof documents)["\n  query AssetGraphState {\n    assetGraph { state }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Materialize($input: MaterializeInput!) {\n    materialize(input: $input) {\n      run { runId status }\n      errors { message kind field }\n    }\n  }\n"): (typeof documents)["\n  mutation Materialize($input: MaterializeInput!) {\n    materialize(input: $input) {\n      run { runId status }\n      errors { message kind field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchJob($input: LaunchJobInput!) {\n    launchJob(input: $input) {\n      run { runId }\n      errors { message kind field }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchJob($input: LaunchJobInput!) {\n    launchJob(input: $input) {\n      run { runId }\n      errors { message kind field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Terminate($runIds: [ID!]!) {\n    terminateRuns(runIds: $runIds) {\n      results { runId changed message }\n      errors { message }\n    }\n  }\n"): (typeof documents)["\n  mutation Terminate($runIds: [ID!]!) {\n    terminateRuns(runIds: $runIds) {\n      results { runId changed message }\n      errors { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reexecute($input: ReexecuteInput!) {\n    reexecuteRun(input: $input) {\n      run { runId }\n      errors { message }\n    }\n  }\n"): (typeof documents)["\n  mutation Reexecute($input: ReexecuteInput!) {\n    reexecuteRun(input: $input) {\n      run { runId }\n      errors { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReloadLocation($name: String!) {\n    reloadCodeLocation(name: $name) { errors { message } }\n  }\n"): (typeof documents)["\n  mutation ReloadLocation($name: String!) {\n    reloadCodeLocation(name: $name) { errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs($filter: RunsFilter, $first: Int, $after: String) {\n    runs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        runId jobName status partition createTime startTime endTime durationSeconds\n        assetSelection { path }\n        tags { key value }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Runs($filter: RunsFilter, $first: Int, $after: String) {\n    runs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        runId jobName status partition createTime startTime endTime durationSeconds\n        assetSelection { path }\n        tags { key value }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($runId: ID!) {\n    run(runId: $runId) {\n      runId jobName status partition parentRunId rootRunId locationName\n      createTime startTime endTime durationSeconds isFinished runConfig\n      assetSelection { path }\n      tags { key value }\n    }\n  }\n"): (typeof documents)["\n  query Run($runId: ID!) {\n    run(runId: $runId) {\n      runId jobName status partition parentRunId rootRunId locationName\n      createTime startTime endTime durationSeconds isFinished runConfig\n      assetSelection { path }\n      tags { key value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunEvents($runId: ID!, $after: String) {\n    runEvents(runId: $runId, after: $after) {\n      cursor\n      runStatus\n      isFinished\n      events { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }\n    }\n  }\n"): (typeof documents)["\n  subscription RunEvents($runId: ID!, $after: String) {\n    runEvents(runId: $runId, after: $after) {\n      cursor\n      runStatus\n      isFinished\n      events { storageId timestamp eventType message levelName stepKey asset: assetKey { path } partition }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DaemonHealth {\n    daemonHealth { running healthy daemonId loops { name healthy lastHeartbeat lastError } }\n  }\n"): (typeof documents)["\n  query DaemonHealth {\n    daemonHealth { running healthy daemonId loops { name healthy lastHeartbeat lastError } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CodeLocations {\n    codeLocations {\n      name status definitionsAreStale snapshotId pid restarts assetCount\n      error { message traceback }\n      jobs { name }\n      schedules { name }\n      sensors { name }\n    }\n  }\n"): (typeof documents)["\n  query CodeLocations {\n    codeLocations {\n      name status definitionsAreStale snapshotId pid restarts assetCount\n      error { message traceback }\n      jobs { name }\n      schedules { name }\n      sensors { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Automation {\n    schedules {\n      name locationName cronSchedules jobName executionTimezone description defaultStatus status\n      lastTickTimestamp nextTicks(count: 3)\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n    sensors {\n      name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus status\n      cursor lastTickTimestamp\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n  }\n"): (typeof documents)["\n  query Automation {\n    schedules {\n      name locationName cronSchedules jobName executionTimezone description defaultStatus status\n      lastTickTimestamp nextTicks(count: 3)\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n    sensors {\n      name locationName sensorType jobNames minimumIntervalSeconds description defaultStatus status\n      cursor lastTickTimestamp\n      ticks(first: 10) { tickId timestamp status runIds skipReason error }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSchedule($locationName: String!, $name: String!) {\n    startSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n"): (typeof documents)["\n  mutation StartSchedule($locationName: String!, $name: String!) {\n    startSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopSchedule($locationName: String!, $name: String!) {\n    stopSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n"): (typeof documents)["\n  mutation StopSchedule($locationName: String!, $name: String!) {\n    stopSchedule(locationName: $locationName, name: $name) { schedule { name status } errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSensor($locationName: String!, $name: String!) {\n    startSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n"): (typeof documents)["\n  mutation StartSensor($locationName: String!, $name: String!) {\n    startSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopSensor($locationName: String!, $name: String!) {\n    stopSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n"): (typeof documents)["\n  mutation StopSensor($locationName: String!, $name: String!) {\n    stopSensor(locationName: $locationName, name: $name) { sensor { name status } errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelBackfill($backfillId: ID!) {\n    cancelBackfill(backfillId: $backfillId) { backfill { backfillId status } errors { message } }\n  }\n"): (typeof documents)["\n  mutation CancelBackfill($backfillId: ID!) {\n    cancelBackfill(backfillId: $backfillId) { backfill { backfillId status } errors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Backfills {\n    backfills(first: 100) {\n      backfillId status partitionKeys partitionRange allPartitions createTime runIds error\n      assetSelection { path }\n    }\n  }\n"): (typeof documents)["\n  query Backfills {\n    backfills(first: 100) {\n      backfillId status partitionKeys partitionRange allPartitions createTime runIds error\n      assetSelection { path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs {\n    jobs { name kind locationName description partitionsDescription assetKeys { path } }\n  }\n"): (typeof documents)["\n  query Jobs {\n    jobs { name kind locationName description partitionsDescription assetKeys { path } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LocationChanges {\n    codeLocations { name status snapshotId definitionsAreStale error { message } }\n  }\n"): (typeof documents)["\n  subscription LocationChanges {\n    codeLocations { name status snapshotId definitionsAreStale error { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CapturedLogs($runId: ID!, $stepKey: String) {\n    capturedLogs(runId: $runId, stepKey: $stepKey) { stepKey stdout stderr truncated }\n  }\n"): (typeof documents)["\n  query CapturedLogs($runId: ID!, $stepKey: String) {\n    capturedLogs(runId: $runId, stepKey: $stepKey) { stepKey stdout stderr truncated }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;