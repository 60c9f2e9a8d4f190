#!/usr/bin/env node
import{createRequire as __cr}from'module';const require=__cr(import.meta.url);
import{a as o,b as a}from"./chunk-WFAS4P2F.js";import{e as s}from"./chunk-W6NF7B3Q.js";import"./chunk-VCLZF4OS.js";import{readFileSync as i}from"node:fs";process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED??="true";function c(){return JSON.parse(i(new URL("../package.json",import.meta.url),"utf8")).version}async function p(e,t){try{let r=o(e);return r.flags.version?(t.stdout.write(`${c()}
`),0):r.flags.help||r.command==="help"?(t.stdout.write(`${a}
`),0):r.command==="sandbox"?await(await import("./sandbox-UJKBRCSV.js")).runSandboxCommand(r,t):r.command==="bot"?(t.stderr.write(`ecs-lab: the Slack bot is not part of this build yet.
`),2):await(await import("./commands-RGQRJZYV.js")).runEngineCommand(r,t)}catch(r){let n=s(r);return t.stderr.write(`ecs-lab: ${n.message}
`),t.env.ECS_LAB_DEBUG&&r instanceof Error&&r.stack&&t.stderr.write(`${r.stack}
`),n.exitCode}}var m=process.argv[1]&&new URL(import.meta.url).pathname===(await import("node:fs")).realpathSync(process.argv[1]);if(m){let e=await p(process.argv.slice(2),{stdout:process.stdout,stderr:process.stderr,stdin:process.stdin,env:process.env});process.exitCode=e}export{p as main};
