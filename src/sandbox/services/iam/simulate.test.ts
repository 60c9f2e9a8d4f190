import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetContextKeysForPrincipalPolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

const ACCOUNT = '222233334444';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/dev-deployer`;
const SERVICE = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/lab/web`;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const devOnly = doc(
  { Sid: 'DevOnly', Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } },
  { Sid: 'NoRetag', Effect: 'Deny', Action: 'ecs:TagResource', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } },
);

let sandbox: RunningSandbox;
let iam: IAMClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
  await iam.send(
    new CreateRoleCommand({ RoleName: 'dev-deployer', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: 'dev-deployer', PolicyName: 'dev-only', PolicyDocument: devOnly }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'dev-deployer', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
});
afterAll(async () => {
  iam.destroy();
  await sandbox.close();
});

describe('SimulatePrincipalPolicy', () => {
  it('allows with the right context and names the matched statement', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE,
        ActionNames: ['ecs:UpdateService'],
        ResourceArns: [SERVICE],
        ContextEntries: [{ ContextKeyName: 'aws:ResourceTag/environment', ContextKeyValues: ['dev'], ContextKeyType: 'string' }],
      }),
    );
    expect(out.IsTruncated).toBe(false);
    expect(out.EvaluationResults).toEqual([
      expect.objectContaining({
        EvalActionName: 'ecs:UpdateService',
        EvalResourceName: SERVICE,
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'dev-only', SourcePolicyType: 'role', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 171 } }],
        MissingContextValues: [],
        ResourceSpecificResults: [expect.objectContaining({ EvalResourceName: SERVICE, EvalResourceDecision: 'allowed' })],
      }),
    ]);
    // The positions point at the statement in the stored document.
    expect(devOnly.slice(37, 170)).toBe(JSON.stringify(JSON.parse(devOnly).Statement[0]));
  });

  it('reports a condition key it was not given as missing (implicitDeny)', async () => {
    const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: ROLE, ActionNames: ['ecs:UpdateService'], ResourceArns: [SERVICE] }));
    expect(out.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['aws:ResourceTag/environment'] });
  });

  it('finds an explicit deny from a stringList context entry', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE,
        ActionNames: ['ecs:TagResource'],
        ResourceArns: [SERVICE],
        ContextEntries: [
          { ContextKeyName: 'aws:ResourceTag/environment', ContextKeyValues: ['dev'], ContextKeyType: 'string' },
          { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['team', 'environment'], ContextKeyType: 'stringList' },
        ],
      }),
    );
    expect(out.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [expect.objectContaining({ SourcePolicyId: 'dev-only', StartPosition: { Line: 1, Column: 172 } })] });
  });

  it('includes attached AWS managed policies and extra input policies', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE,
        ActionNames: ['ec2:DescribeVpcs', 'ssm:GetParameter'],
        PolicyInputList: [doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' })],
      }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision, r.MatchedStatements?.[0]?.SourcePolicyId, r.MatchedStatements?.[0]?.SourcePolicyType])).toEqual([
      ['ec2:DescribeVpcs', '*', 'allowed', 'ReadOnlyAccess', 'aws-managed'],
      ['ssm:GetParameter', '*', 'allowed', 'PolicyInputList.1', 'none'],
    ]);
    expect(out.EvaluationResults?.[0]?.ResourceSpecificResults).toBeUndefined();
  });

  it('caps the role with a permissions boundary given in the request', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE,
        ActionNames: ['ec2:DescribeVpcs', 'ecs:ListClusters'],
        PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' })],
      }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
      ['implicitDeny', false],
      ['allowed', true],
    ]);
  });

  it('gives one result per action and resource, paged with Marker and MaxItems', async () => {
    const input = { PolicySourceArn: ROLE, ActionNames: ['ecs:DescribeServices', 'ecs:DeleteService'], ResourceArns: [SERVICE, `${SERVICE}-2`], MaxItems: 3 };
    const first = await iam.send(new SimulatePrincipalPolicyCommand(input));
    expect(first).toMatchObject({ IsTruncated: true, Marker: expect.any(String) });
    expect(first.EvaluationResults?.map((r) => `${r.EvalActionName} ${r.EvalResourceName} ${r.EvalDecision}`)).toEqual([
      `ecs:DescribeServices ${SERVICE} allowed`,
      `ecs:DescribeServices ${SERVICE}-2 allowed`,
      `ecs:DeleteService ${SERVICE} implicitDeny`,
    ]);
    const second = await iam.send(new SimulatePrincipalPolicyCommand({ ...input, Marker: first.Marker }));
    expect(second.IsTruncated).toBe(false);
    expect(second.EvaluationResults?.map((r) => r.EvalResourceName)).toEqual([`${SERVICE}-2`]);
  });

  it('answers NoSuchEntity for an unknown principal and InvalidInput for malformed input', async () => {
    await expect(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/ghost`, ActionNames: ['ecs:ListClusters'] }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'not-an-arn', ActionNames: ['ecs:ListClusters'] }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: ROLE, ActionNames: ['ListClusters'] }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: ROLE, ActionNames: ['ecs:ListClusters'], PolicyInputList: ['{"Statement":'] }))).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
  });

  it('lists the context keys the policies use', async () => {
    const out = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: ROLE }));
    expect(out.ContextKeyNames).toEqual(['aws:ResourceTag/environment', 'aws:TagKeys']);
  });
});

describe('SimulateCustomPolicy', () => {
  it('evaluates pretty-printed policies and reports statement positions', async () => {
    const policy = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/*` },
          { Sid: 'NotProd', Effect: 'Deny', Action: 'secretsmanager:*', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/prod/*` },
        ],
      },
      null,
      2,
    );
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ['secretsmanager:GetSecretValue'],
        ResourceArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/dev/db-AbCdEf`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/prod/db-AbCdEf`],
      }),
    );
    const [dev, prod] = out.EvaluationResults!;
    expect(dev).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 9, Column: 6 } }] });
    expect(prod).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ StartPosition: { Line: 10, Column: 5 }, EndPosition: { Line: 15, Column: 6 } }] });
    expect(policy.split('\n')[3]).toBe('    {');
    expect(policy.split('\n')[14]).toBe('    }');
  });

  it('uses numeric, boolean and date context entries', async () => {
    const policy = doc({
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' }, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, NumericLessThanEquals: { 'ecs:count': '2' } },
    });
    const run = (secure: string, time: string, count: string) =>
      iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [policy],
          ActionNames: ['ecs:RunTask'],
          ContextEntries: [
            { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: [secure], ContextKeyType: 'boolean' },
            { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [time], ContextKeyType: 'date' },
            { ContextKeyName: 'ecs:count', ContextKeyValues: [count], ContextKeyType: 'numeric' },
          ],
        }),
      );
    expect((await run('true', '2029-06-01T00:00:00Z', '2')).EvaluationResults?.[0]?.EvalDecision).toBe('allowed');
    expect((await run('false', '2029-06-01T00:00:00Z', '2')).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny');
    expect((await run('true', '2031-06-01T00:00:00Z', '2')).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny');
    expect((await run('true', '2029-06-01T00:00:00Z', '3')).EvaluationResults?.[0]?.EvalDecision).toBe('implicitDeny');
  });
});
