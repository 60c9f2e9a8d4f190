/**
 * Authorisation tables of the data and logging services: Secrets Manager, SSM, CloudWatch Logs,
 * CloudTrail, Auto Scaling and S3. Operations not listed are authorised against `*`.
 *
 * | service        | operations                                               | resource                      |
 * |----------------|----------------------------------------------------------|-------------------------------|
 * | secretsmanager | every call with SecretId (GetSecretValue, …); CreateSecret; ValidateResourcePolicy also secretsmanager:PutResourcePolicy | the secret ARN (`secret:<name>-??????` before it exists), with its resource policy; `*` for GetRandomPassword, BatchGetSecretValue (each secret: secretsmanager:GetSecretValue in the handler; with Filters also secretsmanager:ListSecrets) and ValidateResourcePolicy without SecretId |
 * | ssm            | GetParameter(s), PutParameter, Delete*, GetParameterHistory, GetParametersByPath, (Un)LabelParameterVersion, tag calls | `parameter/<name>` (public ones without account) |
 * | ssm            | SendCommand / StartSession | `document/<name>` (AWS-owned, no account) + `instance/<id>` each (`*` for targets) / the instance |
 * | logs           | calls with logGroupName (or logGroupIdentifier; metric filters too; StartQuery: each group it reads); TagResource/UntagResource/ListTagsForResource; Create/DeleteLogStream, PutLogEvents, GetLogEvents | `log-group:<name>` / the resourceArn / `log-group:<name>:log-stream:<stream>` |
 * | cloudtrail     | calls naming a trail; AddTags/RemoveTags/ListTags        | `trail/<name>`                |
 * |                | GetEventDataStore                                        | `eventdatastore/<id>`         |
 * | autoscaling    | calls naming a group (or its instance); CreateOrUpdateTags/DeleteTags | the group ARN     |
 * | s3             | bucket calls / object calls (action names differ: ListObjectsV2 is s3:ListBucket) | `arn:aws:s3:::<bucket>[/<key>]` |
 */
import type { AuthzEnv, Input, OperationRule, ServiceRules } from './authz-table.js';
import { lookup, records, str, strings, tagList } from './authz-table.js';
import type { GroupRecord } from './services/autoscaling/state.js';
import type { TrailRecord } from './services/cloudtrail/state.js';
import type { LogGroupRecord } from './services/logs/state.js';
import type { SecretRecord } from './services/secretsmanager/state.js';
import type { ParameterRecord } from './services/ssm/state.js';

// ---- Secrets Manager ------------------------------------------------------------------------

function secrets(env: AuthzEnv): Readonly<Record<string, SecretRecord>> | undefined {
  return env.state<{ secrets: Record<string, SecretRecord> }>('secretsmanager')?.secrets;
}

function secretByArn(env: AuthzEnv, arn: string): SecretRecord | undefined {
  return Object.values(secrets(env) ?? {}).find((s) => s.arn === arn);
}

function secretArn(env: AuthzEnv, secretId: string): string {
  const all = secrets(env);
  if (secretId.startsWith('arn:')) return Object.values(all ?? {}).find((s) => s.arn === secretId || s.arn.startsWith(`${secretId}-`))?.arn ?? secretId;
  return lookup(all, secretId)?.arn ?? `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${secretId}-??????`;
}

const onSecret: OperationRule = { resources: (i, env) => [secretArn(env, str(i.SecretId) ?? '')] };
const onOptionalSecret = (i: Input, env: AuthzEnv): string[] => (str(i.SecretId) === undefined ? [] : [secretArn(env, str(i.SecretId)!)]);

const secretsOperations: Record<string, OperationRule> = {
  CreateSecret: { resources: (i, env) => [secretArn(env, str(i.Name) ?? '')], requestTags: (i) => tagList(i.Tags), creates: true },
  // "secretsmanager:BatchGetSecretValue, and you must have secretsmanager:GetSecretValue for each
  // secret" (checked per secret by the handler); "If you use filters, you must also have
  // secretsmanager:ListSecrets" (API reference).
  BatchGetSecretValue: { extra: (i) => (Array.isArray(i.Filters) ? [{ action: 'secretsmanager:ListSecrets', resource: '*' }] : []) },
  // "Required permissions: secretsmanager:ValidateResourcePolicy and secretsmanager:PutResourcePolicy".
  ValidateResourcePolicy: {
    resources: onOptionalSecret,
    extra: (i, env) => [{ action: 'secretsmanager:PutResourcePolicy', resource: onOptionalSecret(i, env)[0] ?? '*' }],
  },
  TagResource: { ...onSecret, requestTags: (i) => tagList(i.Tags) },
  UntagResource: { ...onSecret, removedTagKeys: (i) => strings(i.TagKeys) },
};
for (const op of [
  'GetSecretValue', 'DescribeSecret', 'PutSecretValue', 'UpdateSecret', 'DeleteSecret', 'RestoreSecret', 'RotateSecret', 'CancelRotateSecret',
  'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy', 'ListSecretVersionIds', 'UpdateSecretVersionStage',
]) {
  secretsOperations[op] = onSecret;
}

/** The Secrets Manager table. */
export const SECRETS_RULES: ServiceRules = {
  prefix: 'secretsmanager',
  operations: secretsOperations,
  resourceTags: (arn, env) => {
    const secret = secretByArn(env, arn);
    return secret ? tagList(secret.tags) ?? {} : undefined;
  },
  tagOnCreate: 'secretsmanager:TagResource',
  resourceTagAlias: 'secretsmanager:ResourceTag',
  resourcePolicyOf: (arn, env) => {
    const secret = secretByArn(env, arn);
    return secret?.resourcePolicy ? { id: `secret-policy:${secret.name}`, document: secret.resourcePolicy } : undefined;
  },
};

// ---- SSM ------------------------------------------------------------------------------------

/** `name`, `name:3`, `name:label` or an ARN -> the parameter ARN. */
function parameterArn(env: AuthzEnv, reference: string): string {
  if (reference.startsWith('arn:')) return reference.replace(/(:parameter\/[^:]*):.*$/, '$1');
  const name = reference.split(':')[0] ?? reference;
  const account = name.startsWith('/aws/') ? '' : env.account;
  return `arn:aws:ssm:${env.region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

const onParameter: OperationRule = { resources: (i, env) => [parameterArn(env, str(i.Name) ?? '')] };
const onParameters: OperationRule = { resources: (i, env) => strings(i.Names).map((n) => parameterArn(env, n)) };
const onTagged: OperationRule = { resources: (i, env) => [str(i.ResourceType) === 'Parameter' ? parameterArn(env, str(i.ResourceId) ?? '') : '*'] };

const ssmOperations: Record<string, OperationRule> = {
  GetParameter: onParameter,
  GetParameters: onParameters,
  PutParameter: { ...onParameter, requestTags: (i) => tagList(i.Tags), creates: true },
  DeleteParameter: onParameter,
  DeleteParameters: onParameters,
  GetParameterHistory: onParameter,
  LabelParameterVersion: onParameter,
  UnlabelParameterVersion: onParameter,
  GetParametersByPath: { resources: (i, env) => [parameterArn(env, str(i.Path) ?? '')] },
  AddTagsToResource: { ...onTagged, requestTags: (i) => tagList(i.Tags) },
  RemoveTagsFromResource: { ...onTagged, removedTagKeys: (i) => strings(i.TagKeys) },
  ListTagsForResource: onTagged,
  // Run Command authorises the document and each instance (targets by tag: the instances, `*` here).
  SendCommand: {
    resources: (i, env) => [
      `arn:aws:ssm:${env.region}::document/${str(i.DocumentName) ?? ''}`,
      ...(strings(i.InstanceIds).length ? strings(i.InstanceIds).map((id) => `arn:aws:ec2:${env.region}:${env.account}:instance/${id}`) : ['*']),
    ],
  },
  StartSession: { resources: (i, env) => [`arn:aws:ec2:${env.region}:${env.account}:instance/${str(i.Target) ?? ''}`] },
};

/** The SSM table. */
export const SSM_RULES: ServiceRules = {
  prefix: 'ssm',
  operations: ssmOperations,
  resourceTags: (arn, env) => {
    const m = /^arn:aws[a-z-]*:ssm:[^:]*:([0-9]{12}):parameter(\/.*)$/.exec(arn);
    if (!m || m[1] !== env.account) return undefined;
    const params = env.state<{ parameters: Record<string, ParameterRecord> }>('ssm')?.parameters;
    const record = lookup(params, m[2]!) ?? lookup(params, m[2]!.slice(1));
    return record ? tagList(record.tags) ?? {} : undefined;
  },
  tagOnCreate: 'ssm:AddTagsToResource',
};

// ---- CloudWatch Logs ------------------------------------------------------------------------

function logGroupArn(env: AuthzEnv, name: string): string {
  return `arn:aws:logs:${env.region}:${env.account}:log-group:${name}`;
}

/** The log group a call names: logGroupName, or logGroupIdentifier (a name or an ARN). */
function namedLogGroupArn(i: Input, env: AuthzEnv): string {
  const identifier = str(i.logGroupIdentifier);
  if (str(i.logGroupName) === undefined && identifier?.startsWith('arn:')) return identifier.replace(/:\*$/, '');
  return logGroupArn(env, str(i.logGroupName) ?? identifier ?? '');
}

const onLogGroup: OperationRule = { resources: (i, env) => [namedLogGroupArn(i, env)] };
const onLogStream: OperationRule = { resources: (i, env) => [`${namedLogGroupArn(i, env)}:log-stream:${str(i.logStreamName) ?? ''}`] };
const tagMap = (value: unknown): Record<string, string> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;

/** The CloudWatch Logs table. */
export const LOGS_RULES: ServiceRules = {
  prefix: 'logs',
  operations: {
    CreateLogGroup: { ...onLogGroup, requestTags: (i) => tagMap(i.tags), creates: true },
    DeleteLogGroup: onLogGroup,
    PutRetentionPolicy: onLogGroup,
    DeleteRetentionPolicy: onLogGroup,
    TagLogGroup: { ...onLogGroup, requestTags: (i) => tagMap(i.tags) },
    UntagLogGroup: { ...onLogGroup, removedTagKeys: (i) => strings(i.tags) },
    ListTagsLogGroup: onLogGroup,
    DescribeLogStreams: onLogGroup,
    FilterLogEvents: onLogGroup,
    PutMetricFilter: onLogGroup,
    DeleteMetricFilter: onLogGroup,
    DescribeSubscriptionFilters: onLogGroup,
    // logGroupName is optional here: without it, every group's filters (`*`).
    DescribeMetricFilters: { resources: (i, env) => (str(i.logGroupName) === undefined ? ['*'] : [namedLogGroupArn(i, env)]) },
    // On the stream's ARN, so that the usual `log-group:<name>:*` grant covers it.
    CreateLogStream: onLogStream,
    DeleteLogStream: onLogStream,
    PutLogEvents: onLogStream,
    GetLogEvents: onLogStream,
    TagResource: { resources: (i) => [str(i.resourceArn) ?? '*'], requestTags: (i) => tagMap(i.tags) },
    UntagResource: { resources: (i) => [str(i.resourceArn) ?? '*'], removedTagKeys: (i) => strings(i.tagKeys) },
    ListTagsForResource: { resources: (i) => [str(i.resourceArn) ?? '*'] },
    // Every log group the query reads (GetQueryResults, StopQuery and DescribeQueries take `*`).
    StartQuery: {
      resources: (i, env) =>
        str(i.logGroupName) !== undefined
          ? [namedLogGroupArn(i, env)]
          : [...strings(i.logGroupNames), ...strings(i.logGroupIdentifiers)].map((g) => (g.startsWith('arn:') ? g.replace(/:\*$/, '') : logGroupArn(env, g))),
    },
  },
  resourceTags: (arn, env) => {
    const m = /^arn:aws[a-z-]*:logs:([^:]*):([0-9]{12}):log-group:([^:]+)(?::\*)?$/.exec(arn);
    if (!m || m[1] !== env.region || m[2] !== env.account) return undefined;
    return lookup(env.state<{ groups: Record<string, LogGroupRecord> }>('logs')?.groups, m[3]!)?.tags;
  },
  tagOnCreate: 'logs:TagResource',
};

// ---- CloudTrail -----------------------------------------------------------------------------

function trailArn(env: AuthzEnv, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:cloudtrail:${env.region}:${env.account}:trail/${nameOrArn}`;
}

const onTrail = (member: string): OperationRule => ({ resources: (i, env) => [trailArn(env, str(i[member]) ?? '')] });

/** The CloudTrail table. */
export const CLOUDTRAIL_RULES: ServiceRules = {
  prefix: 'cloudtrail',
  operations: {
    CreateTrail: { ...onTrail('Name'), requestTags: (i) => tagList(i.TagsList), creates: true },
    UpdateTrail: onTrail('Name'),
    DeleteTrail: onTrail('Name'),
    GetTrail: onTrail('Name'),
    GetTrailStatus: onTrail('Name'),
    StartLogging: onTrail('Name'),
    StopLogging: onTrail('Name'),
    PutEventSelectors: onTrail('TrailName'),
    GetEventSelectors: onTrail('TrailName'),
    PutInsightSelectors: onTrail('TrailName'),
    GetInsightSelectors: onTrail('TrailName'),
    GetEventDataStore: { resources: (i, env) => [str(i.EventDataStore)?.startsWith('arn:') ? str(i.EventDataStore)! : `arn:aws:cloudtrail:${env.region}:${env.account}:eventdatastore/${str(i.EventDataStore) ?? ''}`] },
    AddTags: { ...onTrail('ResourceId'), requestTags: (i) => tagList(i.TagsList) },
    RemoveTags: { ...onTrail('ResourceId'), removedTagKeys: (i) => records(i.TagsList).map((t) => str(t.Key) ?? '') },
    ListTags: { resources: (i, env) => strings(i.ResourceIdList).map((id) => trailArn(env, id)) },
  },
  resourceTags: (arn, env) => {
    const record = lookup(env.state<{ trails: Record<string, TrailRecord> }>('cloudtrail', true)?.trails, arn);
    return record ? tagList(record.tags) ?? {} : undefined;
  },
  tagOnCreate: 'cloudtrail:AddTags',
};

// ---- Auto Scaling ---------------------------------------------------------------------------

function groups(env: AuthzEnv): Readonly<Record<string, GroupRecord>> | undefined {
  return env.state<{ groups: Record<string, GroupRecord> }>('autoscaling')?.groups;
}

function groupArn(env: AuthzEnv, name: string): string {
  return lookup(groups(env), name)?.group.AutoScalingGroupARN ?? `arn:aws:autoscaling:${env.region}:${env.account}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

const onGroup: OperationRule = { resources: (i, env) => [groupArn(env, str(i.AutoScalingGroupName) ?? '')] };
/** The group an instance belongs to (TerminateInstanceInAutoScalingGroup names the instance only); `*` when none does. */
const instanceGroup = (i: Input, env: AuthzEnv): string[] => {
  const id = str(i.InstanceId);
  const owner = Object.values(groups(env) ?? {}).find((g) => g.instances.some((instance) => instance.InstanceId === id));
  return [owner?.group.AutoScalingGroupARN ?? '*'];
};
const tagTargets = (i: Input, env: AuthzEnv): string[] => [...new Set(records(i.Tags).map((t) => str(t.ResourceId) ?? ''))].map((g) => groupArn(env, g));

/** The Auto Scaling table. */
export const AUTOSCALING_RULES: ServiceRules = {
  prefix: 'autoscaling',
  operations: {
    CreateAutoScalingGroup: { ...onGroup, requestTags: (i) => tagList(i.Tags) },
    UpdateAutoScalingGroup: onGroup,
    DeleteAutoScalingGroup: onGroup,
    SetInstanceProtection: onGroup,
    StartInstanceRefresh: onGroup,
    CancelInstanceRefresh: onGroup,
    RollbackInstanceRefresh: onGroup,
    SetDesiredCapacity: onGroup,
    TerminateInstanceInAutoScalingGroup: { resources: instanceGroup },
    CreateOrUpdateTags: { resources: tagTargets, requestTags: (i) => tagList(i.Tags) },
    DeleteTags: { resources: tagTargets, removedTagKeys: (i) => records(i.Tags).map((t) => str(t.Key) ?? '') },
  },
  resourceTags: (arn, env) => {
    const name = /:autoScalingGroupName\/(.+)$/.exec(arn)?.[1];
    const record = name ? lookup(groups(env), name) : undefined;
    return record && record.group.AutoScalingGroupARN === arn ? tagList(record.tags) ?? {} : undefined;
  },
  resourceTagAlias: 'autoscaling:ResourceTag',
};

// ---- S3 -------------------------------------------------------------------------------------

const bucket = (i: Input): string => `arn:aws:s3:::${str(i.Bucket) ?? ''}`;
const object = (i: Input): string => `arn:aws:s3:::${str(i.Bucket) ?? ''}/${str(i.Key) ?? ''}`;
const onBucket = (action: string): OperationRule => ({ action, resources: (i) => [bucket(i)] });
const onObject = (action: string): OperationRule => ({ action, resources: (i) => [object(i)] });

/** The S3 table (S3 action names are not its operation names). */
export const S3_RULES: ServiceRules = {
  prefix: 's3',
  operations: {
    ListBuckets: { action: 's3:ListAllMyBuckets' },
    CreateBucket: onBucket('s3:CreateBucket'),
    HeadBucket: onBucket('s3:ListBucket'),
    ListObjects: onBucket('s3:ListBucket'),
    ListObjectsV2: onBucket('s3:ListBucket'),
    ListObjectVersions: onBucket('s3:ListBucketVersions'),
    DeleteBucket: onBucket('s3:DeleteBucket'),
    GetBucketLocation: onBucket('s3:GetBucketLocation'),
    PutBucketPolicy: onBucket('s3:PutBucketPolicy'),
    GetBucketPolicy: onBucket('s3:GetBucketPolicy'),
    DeleteBucketPolicy: onBucket('s3:DeleteBucketPolicy'),
    PutBucketTagging: onBucket('s3:PutBucketTagging'),
    GetBucketTagging: onBucket('s3:GetBucketTagging'),
    DeleteBucketTagging: onBucket('s3:PutBucketTagging'),
    GetBucketAcl: onBucket('s3:GetBucketAcl'),
    PutPublicAccessBlock: onBucket('s3:PutBucketPublicAccessBlock'),
    GetPublicAccessBlock: onBucket('s3:GetBucketPublicAccessBlock'),
    DeletePublicAccessBlock: onBucket('s3:PutBucketPublicAccessBlock'),
    PutBucketEncryption: onBucket('s3:PutEncryptionConfiguration'),
    GetBucketEncryption: onBucket('s3:GetEncryptionConfiguration'),
    DeleteBucketEncryption: onBucket('s3:PutEncryptionConfiguration'),
    PutBucketVersioning: onBucket('s3:PutBucketVersioning'),
    GetBucketVersioning: onBucket('s3:GetBucketVersioning'),
    PutObject: onObject('s3:PutObject'),
    GetObject: onObject('s3:GetObject'),
    HeadObject: onObject('s3:GetObject'),
    DeleteObject: onObject('s3:DeleteObject'),
    DeleteObjects: {
      action: 's3:DeleteObject',
      resources: (i) => records((i.Delete as Record<string, unknown> | undefined)?.Objects).map((o) => `arn:aws:s3:::${str(i.Bucket) ?? ''}/${str(o.Key) ?? ''}`),
    },
  },
};
