/**
 * ECS account settings. A setting resolves principal-specific -> account default (the root
 * principal's value) -> AWS default; `effectiveSettings` shows the resolved values.
 */
import type { ECS, Setting, SettingName } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsState } from '../state.js';
import { ecsState } from '../state.js';

const ON_OFF = ['enabled', 'disabled'];

/** AWS defaults and allowed values per setting. */
const SETTINGS: Record<string, { default: string; values: readonly string[]; accountOnly?: boolean }> = {
  serviceLongArnFormat: { default: 'enabled', values: ON_OFF },
  taskLongArnFormat: { default: 'enabled', values: ON_OFF },
  containerInstanceLongArnFormat: { default: 'enabled', values: ON_OFF },
  awsvpcTrunking: { default: 'disabled', values: ON_OFF },
  containerInsights: { default: 'disabled', values: ['enabled', 'disabled', 'enhanced'] },
  dualStackIPv6: { default: 'disabled', values: ON_OFF },
  fargateFIPSMode: { default: 'disabled', values: ON_OFF, accountOnly: true },
  tagResourceAuthorization: { default: 'on', values: ['on', 'off'] },
  fargateTaskRetirementWaitPeriod: { default: '7', values: ['0', '7', '14'], accountOnly: true },
  guardDutyActivate: { default: 'off', values: ['on', 'off'], accountOnly: true },
  defaultLogDriverMode: { default: 'non-blocking', values: ['blocking', 'non-blocking'] },
  fargateEventWindows: { default: 'disabled', values: ON_OFF },
};

function rootArn(ctx: RequestContext): string {
  return `arn:aws:iam::${ctx.account}:root`;
}

function checkName(name: string | undefined): string {
  if (!name || !Object.hasOwn(SETTINGS, name)) {
    throw EcsErrors.invalidParameter(`The specified setting name is invalid. Valid values are: ${Object.keys(SETTINGS).join(', ')}.`);
  }
  return name;
}

function checkValue(name: string, value: string | undefined): string {
  const spec = SETTINGS[name]!;
  if (value === undefined || !spec.values.includes(value)) {
    throw EcsErrors.invalidParameter(`The specified value for ${name} is invalid. Valid values are: ${spec.values.join(', ')}.`);
  }
  return value;
}

function put(ctx: RequestContext, state: EcsState, principal: string, name: string, value: string): Setting {
  (state.settings[principal] ??= {})[name] = value;
  return { name: name as SettingName, value, principalArn: principal, type: 'user' };
}

/** The value a principal gets for a setting, and where it comes from. */
export function effectiveSetting(ctx: RequestContext, state: EcsState, principal: string, name: string): Setting {
  const own = state.settings[principal]?.[name];
  if (own !== undefined) return { name: name as SettingName, value: own, principalArn: principal, type: 'user' };
  const root = rootArn(ctx);
  const accountDefault = state.settings[root]?.[name];
  if (accountDefault !== undefined) return { name: name as SettingName, value: accountDefault, principalArn: root, type: 'user' };
  return { name: name as SettingName, value: SETTINGS[name]!.default, principalArn: root, type: 'aws_managed' };
}

/** Account setting operations. */
export const accountSettingHandlers: HandlerMap<ECS> = {
  PutAccountSetting(input, ctx) {
    const state = ecsState(ctx);
    const name = checkName(input.name);
    const value = checkValue(name, input.value);
    const principal = input.principalArn ?? ctx.principal.arn;
    if (SETTINGS[name]!.accountOnly && principal !== rootArn(ctx)) {
      throw EcsErrors.invalidParameter(`${name} can only be set for the account (root), not for an individual principal.`);
    }
    return { setting: put(ctx, state, principal, name, value) };
  },

  PutAccountSettingDefault(input, ctx) {
    const state = ecsState(ctx);
    const name = checkName(input.name);
    const value = checkValue(name, input.value);
    return { setting: put(ctx, state, rootArn(ctx), name, value) };
  },

  DeleteAccountSetting(input, ctx) {
    const state = ecsState(ctx);
    const name = checkName(input.name);
    const principal = input.principalArn ?? ctx.principal.arn;
    const value = state.settings[principal]?.[name];
    if (value === undefined) throw EcsErrors.invalidParameter(`No ${name} setting is defined for ${principal}.`);
    delete state.settings[principal]![name];
    return { setting: { name: name as SettingName, value, principalArn: principal, type: 'user' } };
  },

  ListAccountSettings(input, ctx) {
    const state = ecsState(ctx);
    const principal = input.principalArn ?? ctx.principal.arn;
    const names = input.name ? [checkName(input.name)] : Object.keys(SETTINGS);
    let settings: Setting[];
    if (input.effectiveSettings) {
      settings = names.map((n) => effectiveSetting(ctx, state, principal, n));
    } else {
      const own = state.settings[principal] ?? {};
      settings = names.filter((n) => own[n] !== undefined).map((n) => ({ name: n as SettingName, value: own[n], principalArn: principal, type: 'user' }));
    }
    if (input.value !== undefined) settings = settings.filter((s) => s.value === input.value);
    // ListAccountSettings pages by 10 unless maxResults (1-10) says otherwise.
    const page = paginate(settings, input.nextToken, input.maxResults, 10, EcsErrors.invalidToken);
    return { settings: page.items, nextToken: page.nextToken };
  },
};
