import{createRequire as __cr}from'module';const require=__cr(import.meta.url);
import{d as s}from"./chunk-W6NF7B3Q.js";import{parseArgs as p}from"node:util";var n=["list","start","check","hint","solution","reset","progress","answer","sandbox","bot","help"],c={target:{type:"string"},endpoint:{type:"string"},profile:{type:"string"},"role-arn":{type:"string"},region:{type:"string"},learner:{type:"string"},"allow-account":{type:"string",multiple:!0},json:{type:"boolean"},yes:{type:"boolean",short:"y"},"no-color":{type:"boolean"},watch:{type:"boolean",short:"w"},interval:{type:"string"},step:{type:"string"},all:{type:"boolean"},port:{type:"string"},host:{type:"string"},data:{type:"string"},auth:{type:"string"},socket:{type:"boolean"},http:{type:"boolean"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}};function g(r){let o;try{o=p({args:r,options:c,allowPositionals:!0,strict:!0})}catch(l){let i=l.message.replace(/\. To specify a positional argument.*$/,"");throw new s("USAGE",`${i} (see ecs-lab help).`)}let[t,...a]=o.positionals;if(t!==void 0&&!n.includes(t))throw new s("USAGE",`Unknown command "${t}" (valid: ${n.join(", ")}).`);let e=o.values;return{command:t,positionals:a,flags:{target:e.target,endpoint:e.endpoint,profile:e.profile,roleArn:e["role-arn"],region:e.region,learner:e.learner,allowAccount:e["allow-account"],json:e.json??!1,yes:e.yes??!1,noColor:e["no-color"]??!1,watch:e.watch??!1,interval:e.interval,step:e.step,all:e.all??!1,port:e.port,host:e.host,data:e.data,auth:e.auth,socket:e.socket??!1,http:e.http??!1,help:e.help??!1,version:e.version??!1}}}var y=`Usage: ecs-lab [command] [options]

Commands:
  list                          scenarios and your progress
  start <id>                    build the scenario's insecure starting state
  check <id> [--watch]          check every step against live state
  hint <id> [--step S]          the next hint level for the first failing (or given) step
  solution <id> [--step S]      the reference solution (AWS CLI commands)
  answer <id> --step S <choice> answer a quiz step
  reset <id> | --all [--yes]    delete what the lab created, then verify nothing is left
  progress                      steps passed, hints used, solutions revealed
  sandbox [--port 4566] [--host 127.0.0.1] [--data DIR] [--auth open|sigv4]
                                run the embedded AWS-compatible sandbox
  bot [--socket | --http --port 3000]
                                run the Slack bot

Target options (every command):
  --target local|endpoint|aws   default local (the embedded sandbox)
  --endpoint URL                any AWS-compatible endpoint (also AWS_ENDPOINT_URL)
  --profile NAME  --role-arn ARN  --region REGION  --learner NAME  --allow-account ID

Output: --json (to stdout), --no-color (also NO_COLOR), --yes (skip confirmations).
Exit codes: 0 ok / all pass, 1 some step fails (or wrong answer), 2 usage error, 3 target or AWS error.
Scenarios: patching, task-roles, network-isolation, secrets, capabilities, tag-access.`;export{g as a,y as b};
