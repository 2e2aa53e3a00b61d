// @ts-nocheck
// GENERATED FILE, do not edit. Source: schemas/service.schema.json, compiled by ajv (standalone).
// Regenerate with `npm run gen:validator` (tsx scripts/gen-validator.ts). Used by schema.ts.
// ajv emits plain JavaScript, hence no type checking here; schema.ts gives it its type.
export const SCHEMA_SHA256 = "229a20217901f4c1d7d9b0cc0928d98f6df311608ef3ec6bdba993834c0e8446";
export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://github.com/dsr/dsr/schemas/service.schema.json","title":"ServiceManifest","description":"One service managed by DSR: its containers, health checks, versions with traffic weights, and how new versions are rolled out. One YAML document per service; a file may hold several documents separated by `---`.","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"description":"Version of the manifest format. Always `dsr/v1`.","type":"string","const":"dsr/v1"},"kind":{"description":"Kind of object. Always `Service`.","type":"string","const":"Service"},"metadata":{"$ref":"#/$defs/metadata","description":"Identity of the service."},"spec":{"$ref":"#/$defs/spec","description":"What DSR runs for the service and how it routes and rolls out."}},"$defs":{"duration":{"title":"Duration","description":"A duration: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`, `1h`). At most 24h.","type":"string","pattern":"^[0-9]{1,9}(ms|s|m|h)$","x-message":"must be a duration such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"},"positiveDuration":{"title":"PositiveDuration","description":"A duration greater than zero: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`). At most 24h.","type":"string","pattern":"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$","x-message":"must be a duration greater than zero such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"},"metadata":{"title":"ManifestMetadata","description":"Identity of the service.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"Service name, unique across the whole manifests folder: lowercase letters, digits and `-`, starting with a letter, at most 40 characters. It names the containers (`dsr-<name>-<version>-<n>`) and the gateway route (`/gateway/<name>/`).","type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits or \"-\", starting with a letter (e.g. \"web\", \"orders-api\")"}}},"spec":{"title":"ManifestSpec","description":"What DSR runs for the service and how it routes and rolls out.","type":"object","additionalProperties":false,"required":["port","versions"],"properties":{"port":{"description":"TCP port the service's containers listen on (inside the container).","type":"integer","minimum":1,"maximum":65535},"health":{"$ref":"#/$defs/health","description":"How DSR checks that an instance is healthy. Every field has a default.","default":{}},"versions":{"description":"The versions that run, each with its image and replica count. One version takes all traffic; with several, each needs a `weight` and the weights must sum to 100 (a static split). Replacing the single version with a new one starts a rollout.","type":"array","minItems":1,"items":{"$ref":"#/$defs/version"},"x-message":"must be a list of at least one version"},"rollout":{"$ref":"#/$defs/rollout","description":"How a new version is rolled out as a canary. Every field has a default.","default":{}},"gateway":{"$ref":"#/$defs/gateway","description":"How the gateway routes clients to this service.","default":{}},"stopGracePeriod":{"$ref":"#/$defs/duration","description":"How gently an instance is removed (scale-down, a version leaving the split, a deleted manifest, the end or abort of a rollout, a failed instance): it first leaves the gateway's routes, then its requests in flight get up to this long to finish, then it gets SIGTERM and up to this long again to exit before SIGKILL. Docker counts the SIGTERM part in whole seconds (rounded up). `0s` kills at once.","default":"10s"}}},"health":{"title":"ManifestHealth","description":"HTTP health check: GET on `path`; healthy means a 2xx answer with the JSON body {\"status\":\"healthy\"}.","type":"object","additionalProperties":false,"properties":{"path":{"description":"Path that answers health checks; it starts with `/`.","type":"string","pattern":"^/[!-~]{0,255}$","x-message":"must be a URL path starting with \"/\", without spaces (e.g. \"/health\")","default":"/health"},"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two checks of one instance.","default":"5s"},"timeout":{"$ref":"#/$defs/positiveDuration","description":"A check that takes longer than this has failed.","default":"2s"},"failureThreshold":{"description":"Consecutive failed checks that make an instance unhealthy: it leaves the rotation and is replaced.","type":"integer","minimum":1,"maximum":100,"default":3},"successThreshold":{"description":"Consecutive successful checks that make an instance healthy (and able to receive traffic).","type":"integer","minimum":1,"maximum":100,"default":1},"startPeriod":{"$ref":"#/$defs/duration","description":"Grace period after an instance starts during which failed checks are not counted.","default":"10s"}}},"version":{"title":"ManifestVersion","description":"One version of the service: an image and how many instances of it run.","type":"object","additionalProperties":false,"required":["name","image"],"properties":{"name":{"description":"Version name, unique within the service: lowercase letters, digits, `.` and `-`, starting with a letter or digit, at most 40 characters (e.g. `v1`, `2024.06.1`).","type":"string","pattern":"^[a-z0-9][a-z0-9.-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits, \".\" or \"-\", starting with a letter or digit (e.g. \"v1\", \"1.4.2\")"},"image":{"description":"Docker image reference; pulled if it is not present locally.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$","x-message":"must be a Docker image reference without spaces (e.g. \"dsr-example:v1\", \"ghcr.io/org/app:1.2\")"},"replicas":{"description":"Number of instances (containers) of this version. 0 keeps the version declared without running it. At most 100: one host cannot usefully run more.","type":"integer","minimum":0,"maximum":100,"default":1},"weight":{"description":"Share of the service's traffic, in percent. Leave it out when there is a single version (it takes 100). With several versions every version needs one and they must sum to 100.","type":"integer","minimum":0,"maximum":100},"env":{"description":"Environment variables of the containers. Values are strings: quote numbers and booleans (`PORT: \"8080\"`).","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]{0,127}$","x-message":"is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit"},"additionalProperties":{"type":"string","x-message":"must be a string (quote numbers and booleans, e.g. \"8080\", \"true\")"},"default":{}},"command":{"description":"Command and arguments that replace the image's default command (e.g. `[\"node\", \"server.js\"]`).","type":"array","minItems":1,"items":{"type":"string"}}}},"rollout":{"title":"ManifestRollout","description":"How a new version is rolled out: traffic steps, the analysis that judges each step, and a deadline for the new instances to become healthy.","type":"object","additionalProperties":false,"properties":{"steps":{"description":"Steps walked in order once the new version's instances are healthy: set the new version's traffic weight, or pause. After the last step the new version gets 100% and the old one is removed. An empty list switches all traffic at once.","type":"array","items":{"$ref":"#/$defs/step"},"default":[{"setWeight":10},{"pause":"30s"},{"setWeight":25},{"pause":"30s"},{"setWeight":50},{"pause":"30s"},{"setWeight":100}]},"analysis":{"$ref":"#/$defs/analysis","description":"Thresholds that judge the new version on the gateway's own traffic to it.","default":{}},"progressDeadline":{"$ref":"#/$defs/positiveDuration","description":"The new version's instances must be healthy by this time, or the rollout aborts (counted from the start of the rollout, or of the step that finds an instance unhealthy). It bounds health only: waiting for traffic is bounded by `analysis.inconclusiveDeadline`.","default":"120s"}}},"step":{"title":"ManifestStep","description":"One rollout step: exactly one of `setWeight` or `pause`.","type":"object","additionalProperties":false,"minProperties":1,"maxProperties":1,"x-message":"must have exactly one of setWeight or pause (e.g. \"- setWeight: 20\" or \"- pause: 30s\")","properties":{"setWeight":{"description":"Percentage of traffic sent to the new version from this step on.","type":"integer","minimum":0,"maximum":100},"pause":{"description":"Wait this long (analysis keeps running), or `{}` to wait until `dsr promote <service>`.","type":["string","object"],"pattern":"^[0-9]{1,9}(ms|s|m|h)$","additionalProperties":false,"maxProperties":0,"x-message":"must be a duration such as \"30s\" or \"2m\", or {} to wait for `dsr promote`"}}},"analysis":{"title":"ManifestAnalysis","description":"Canary analysis, judged at every interval from the gateway's traffic to the new version.","type":"object","additionalProperties":false,"properties":{"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two analysis checks.","default":"10s"},"minRequests":{"description":"Requests a verdict needs. A check with fewer is inconclusive (neither passes nor fails) and keeps its window open: the next check judges all the traffic since the last verdict (at most the last 10 minutes), so a slow trickle still reaches a verdict.","type":"integer","minimum":0,"maximum":1000000,"default":20},"maxErrorRate":{"description":"Highest acceptable share (0..1) of the new version's requests that end in a 5xx or an upstream failure.","type":"number","minimum":0,"maximum":1,"default":0.05},"maxLatencyP99":{"$ref":"#/$defs/positiveDuration","description":"Highest acceptable 99th percentile latency of the new version.","default":"500ms"},"failureLimit":{"description":"Number of failed checks that aborts the rollout.","type":"integer","minimum":1,"maximum":100,"default":2},"compareToStable":{"description":"Judge the new version against the stable version over the same window: a limit the stable version breaks just as badly (a shared database down) does not count against the new version.","type":"boolean","default":false},"inconclusiveDeadline":{"$ref":"#/$defs/positiveDuration","description":"Abort when a step has waited this long for `minRequests` requests (its checks stayed inconclusive). Leave it out to wait for traffic as long as it takes: a quiet canary holds, it is never aborted for lack of traffic."}}},"gateway":{"title":"ManifestGateway","description":"How the gateway routes clients to this service.","type":"object","additionalProperties":false,"properties":{"sticky":{"description":"During a rollout, keep each client on the version it first got (cookie), so one user does not flip between versions.","type":"boolean","default":false},"upstreamKeepAlive":{"description":"Reuse connections to instances between requests. Set `false` for an instance that may write an extra response after a correct one: on a reused HTTP/1.1 connection that stray response would be read as the answer to the next client's request (a race inherent to HTTP/1.1 keep-alive, nginx included); with `false` every request gets its own connection, closed after the response, at the cost of a TCP connect per request.","type":"boolean","default":true}}}}};
const schema32 = {"title":"ManifestMetadata","description":"Identity of the service.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"Service name, unique across the whole manifests folder: lowercase letters, digits and `-`, starting with a letter, at most 40 characters. It names the containers (`dsr-<name>-<version>-<n>`) and the gateway route (`/gateway/<name>/`).","type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits or \"-\", starting with a letter (e.g. \"web\", \"orders-api\")"}}};
const pattern4 = new RegExp("^[a-z][a-z0-9-]{0,39}$", "u");
const schema33 = {"title":"ManifestSpec","description":"What DSR runs for the service and how it routes and rolls out.","type":"object","additionalProperties":false,"required":["port","versions"],"properties":{"port":{"description":"TCP port the service's containers listen on (inside the container).","type":"integer","minimum":1,"maximum":65535},"health":{"$ref":"#/$defs/health","description":"How DSR checks that an instance is healthy. Every field has a default.","default":{}},"versions":{"description":"The versions that run, each with its image and replica count. One version takes all traffic; with several, each needs a `weight` and the weights must sum to 100 (a static split). Replacing the single version with a new one starts a rollout.","type":"array","minItems":1,"items":{"$ref":"#/$defs/version"},"x-message":"must be a list of at least one version"},"rollout":{"$ref":"#/$defs/rollout","description":"How a new version is rolled out as a canary. Every field has a default.","default":{}},"gateway":{"$ref":"#/$defs/gateway","description":"How the gateway routes clients to this service.","default":{}},"stopGracePeriod":{"$ref":"#/$defs/duration","description":"How gently an instance is removed (scale-down, a version leaving the split, a deleted manifest, the end or abort of a rollout, a failed instance): it first leaves the gateway's routes, then its requests in flight get up to this long to finish, then it gets SIGTERM and up to this long again to exit before SIGKILL. Docker counts the SIGTERM part in whole seconds (rounded up). `0s` kills at once.","default":"10s"}}};
const schema38 = {"title":"ManifestVersion","description":"One version of the service: an image and how many instances of it run.","type":"object","additionalProperties":false,"required":["name","image"],"properties":{"name":{"description":"Version name, unique within the service: lowercase letters, digits, `.` and `-`, starting with a letter or digit, at most 40 characters (e.g. `v1`, `2024.06.1`).","type":"string","pattern":"^[a-z0-9][a-z0-9.-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits, \".\" or \"-\", starting with a letter or digit (e.g. \"v1\", \"1.4.2\")"},"image":{"description":"Docker image reference; pulled if it is not present locally.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$","x-message":"must be a Docker image reference without spaces (e.g. \"dsr-example:v1\", \"ghcr.io/org/app:1.2\")"},"replicas":{"description":"Number of instances (containers) of this version. 0 keeps the version declared without running it. At most 100: one host cannot usefully run more.","type":"integer","minimum":0,"maximum":100,"default":1},"weight":{"description":"Share of the service's traffic, in percent. Leave it out when there is a single version (it takes 100). With several versions every version needs one and they must sum to 100.","type":"integer","minimum":0,"maximum":100},"env":{"description":"Environment variables of the containers. Values are strings: quote numbers and booleans (`PORT: \"8080\"`).","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]{0,127}$","x-message":"is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit"},"additionalProperties":{"type":"string","x-message":"must be a string (quote numbers and booleans, e.g. \"8080\", \"true\")"},"default":{}},"command":{"description":"Command and arguments that replace the image's default command (e.g. `[\"node\", \"server.js\"]`).","type":"array","minItems":1,"items":{"type":"string"}}}};
const schema46 = {"title":"ManifestGateway","description":"How the gateway routes clients to this service.","type":"object","additionalProperties":false,"properties":{"sticky":{"description":"During a rollout, keep each client on the version it first got (cookie), so one user does not flip between versions.","type":"boolean","default":false},"upstreamKeepAlive":{"description":"Reuse connections to instances between requests. Set `false` for an instance that may write an extra response after a correct one: on a reused HTTP/1.1 connection that stray response would be read as the answer to the next client's request (a race inherent to HTTP/1.1 keep-alive, nginx included); with `false` every request gets its own connection, closed after the response, at the cost of a TCP connect per request.","type":"boolean","default":true}}};
const schema37 = {"title":"Duration","description":"A duration: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`, `1h`). At most 24h.","type":"string","pattern":"^[0-9]{1,9}(ms|s|m|h)$","x-message":"must be a duration such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"};
const schema34 = {"title":"ManifestHealth","description":"HTTP health check: GET on `path`; healthy means a 2xx answer with the JSON body {\"status\":\"healthy\"}.","type":"object","additionalProperties":false,"properties":{"path":{"description":"Path that answers health checks; it starts with `/`.","type":"string","pattern":"^/[!-~]{0,255}$","x-message":"must be a URL path starting with \"/\", without spaces (e.g. \"/health\")","default":"/health"},"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two checks of one instance.","default":"5s"},"timeout":{"$ref":"#/$defs/positiveDuration","description":"A check that takes longer than this has failed.","default":"2s"},"failureThreshold":{"description":"Consecutive failed checks that make an instance unhealthy: it leaves the rotation and is replaced.","type":"integer","minimum":1,"maximum":100,"default":3},"successThreshold":{"description":"Consecutive successful checks that make an instance healthy (and able to receive traffic).","type":"integer","minimum":1,"maximum":100,"default":1},"startPeriod":{"$ref":"#/$defs/duration","description":"Grace period after an instance starts during which failed checks are not counted.","default":"10s"}}};
const schema35 = {"title":"PositiveDuration","description":"A duration greater than zero: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`). At most 24h.","type":"string","pattern":"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$","x-message":"must be a duration greater than zero such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"};
const pattern5 = new RegExp("^/[!-~]{0,255}$", "u");
const pattern6 = new RegExp("^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$", "u");
const pattern8 = new RegExp("^[0-9]{1,9}(ms|s|m|h)$", "u");

function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate22.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!((((((key0 === "path") || (key0 === "interval")) || (key0 === "timeout")) || (key0 === "failureThreshold")) || (key0 === "successThreshold")) || (key0 === "startPeriod"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 === "string"){
if(!pattern5.test(data0)){
const err1 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/pattern",keyword:"pattern",params:{pattern: "^/[!-~]{0,255}$"},message:"must match pattern \""+"^/[!-~]{0,255}$"+"\"",schema:"^/[!-~]{0,255}$",parentSchema:schema34.properties.path,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.properties.path.type,parentSchema:schema34.properties.path,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.interval !== undefined){
let data1 = data.interval;
if(typeof data1 === "string"){
if(!pattern6.test(data1)){
const err3 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.timeout !== undefined){
let data2 = data.timeout;
if(typeof data2 === "string"){
if(!pattern6.test(data2)){
const err5 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.failureThreshold !== undefined){
let data3 = data.failureThreshold;
if(!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))){
const err7 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema34.properties.failureThreshold.type,parentSchema:schema34.properties.failureThreshold,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if((typeof data3 == "number") && (isFinite(data3))){
if(data3 > 100 || isNaN(data3)){
const err8 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema34.properties.failureThreshold,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data3 < 1 || isNaN(data3)){
const err9 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema34.properties.failureThreshold,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
if(data.successThreshold !== undefined){
let data4 = data.successThreshold;
if(!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))){
const err10 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema34.properties.successThreshold.type,parentSchema:schema34.properties.successThreshold,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if((typeof data4 == "number") && (isFinite(data4))){
if(data4 > 100 || isNaN(data4)){
const err11 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema34.properties.successThreshold,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data4 < 1 || isNaN(data4)){
const err12 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema34.properties.successThreshold,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
if(data.startPeriod !== undefined){
let data5 = data.startPeriod;
if(typeof data5 === "string"){
if(!pattern8.test(data5)){
const err13 = {instancePath:instancePath+"/startPeriod",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^[0-9]{1,9}(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]{1,9}(ms|s|m|h)$"+"\"",schema:"^[0-9]{1,9}(ms|s|m|h)$",parentSchema:schema37,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/startPeriod",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
else {
const err15 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema34.type,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
validate22.errors = vErrors;
return errors === 0;
}
validate22.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema39 = {"title":"ManifestRollout","description":"How a new version is rolled out: traffic steps, the analysis that judges each step, and a deadline for the new instances to become healthy.","type":"object","additionalProperties":false,"properties":{"steps":{"description":"Steps walked in order once the new version's instances are healthy: set the new version's traffic weight, or pause. After the last step the new version gets 100% and the old one is removed. An empty list switches all traffic at once.","type":"array","items":{"$ref":"#/$defs/step"},"default":[{"setWeight":10},{"pause":"30s"},{"setWeight":25},{"pause":"30s"},{"setWeight":50},{"pause":"30s"},{"setWeight":100}]},"analysis":{"$ref":"#/$defs/analysis","description":"Thresholds that judge the new version on the gateway's own traffic to it.","default":{}},"progressDeadline":{"$ref":"#/$defs/positiveDuration","description":"The new version's instances must be healthy by this time, or the rollout aborts (counted from the start of the rollout, or of the step that finds an instance unhealthy). It bounds health only: waiting for traffic is bounded by `analysis.inconclusiveDeadline`.","default":"120s"}}};
const schema40 = {"title":"ManifestStep","description":"One rollout step: exactly one of `setWeight` or `pause`.","type":"object","additionalProperties":false,"minProperties":1,"maxProperties":1,"x-message":"must have exactly one of setWeight or pause (e.g. \"- setWeight: 20\" or \"- pause: 30s\")","properties":{"setWeight":{"description":"Percentage of traffic sent to the new version from this step on.","type":"integer","minimum":0,"maximum":100},"pause":{"description":"Wait this long (analysis keeps running), or `{}` to wait until `dsr promote <service>`.","type":["string","object"],"pattern":"^[0-9]{1,9}(ms|s|m|h)$","additionalProperties":false,"maxProperties":0,"x-message":"must be a duration such as \"30s\" or \"2m\", or {} to wait for `dsr promote`"}}};
const schema41 = {"title":"ManifestAnalysis","description":"Canary analysis, judged at every interval from the gateway's traffic to the new version.","type":"object","additionalProperties":false,"properties":{"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two analysis checks.","default":"10s"},"minRequests":{"description":"Requests a verdict needs. A check with fewer is inconclusive (neither passes nor fails) and keeps its window open: the next check judges all the traffic since the last verdict (at most the last 10 minutes), so a slow trickle still reaches a verdict.","type":"integer","minimum":0,"maximum":1000000,"default":20},"maxErrorRate":{"description":"Highest acceptable share (0..1) of the new version's requests that end in a 5xx or an upstream failure.","type":"number","minimum":0,"maximum":1,"default":0.05},"maxLatencyP99":{"$ref":"#/$defs/positiveDuration","description":"Highest acceptable 99th percentile latency of the new version.","default":"500ms"},"failureLimit":{"description":"Number of failed checks that aborts the rollout.","type":"integer","minimum":1,"maximum":100,"default":2},"compareToStable":{"description":"Judge the new version against the stable version over the same window: a limit the stable version breaks just as badly (a shared database down) does not count against the new version.","type":"boolean","default":false},"inconclusiveDeadline":{"$ref":"#/$defs/positiveDuration","description":"Abort when a step has waited this long for `minRequests` requests (its checks stayed inconclusive). Leave it out to wait for traffic as long as it takes: a quiet canary holds, it is never aborted for lack of traffic."}}};

function validate25(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate25.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((((((key0 === "interval") || (key0 === "minRequests")) || (key0 === "maxErrorRate")) || (key0 === "maxLatencyP99")) || (key0 === "failureLimit")) || (key0 === "compareToStable")) || (key0 === "inconclusiveDeadline"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema41,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.interval !== undefined){
let data0 = data.interval;
if(typeof data0 === "string"){
if(!pattern6.test(data0)){
const err1 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.minRequests !== undefined){
let data1 = data.minRequests;
if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){
const err3 = {instancePath:instancePath+"/minRequests",schemaPath:"#/properties/minRequests/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema41.properties.minRequests.type,parentSchema:schema41.properties.minRequests,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 > 1000000 || isNaN(data1)){
const err4 = {instancePath:instancePath+"/minRequests",schemaPath:"#/properties/minRequests/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema41.properties.minRequests,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data1 < 0 || isNaN(data1)){
const err5 = {instancePath:instancePath+"/minRequests",schemaPath:"#/properties/minRequests/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema41.properties.minRequests,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
if(data.maxErrorRate !== undefined){
let data2 = data.maxErrorRate;
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 1 || isNaN(data2)){
const err6 = {instancePath:instancePath+"/maxErrorRate",schemaPath:"#/properties/maxErrorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema41.properties.maxErrorRate,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data2 < 0 || isNaN(data2)){
const err7 = {instancePath:instancePath+"/maxErrorRate",schemaPath:"#/properties/maxErrorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema41.properties.maxErrorRate,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/maxErrorRate",schemaPath:"#/properties/maxErrorRate/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema41.properties.maxErrorRate.type,parentSchema:schema41.properties.maxErrorRate,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.maxLatencyP99 !== undefined){
let data3 = data.maxLatencyP99;
if(typeof data3 === "string"){
if(!pattern6.test(data3)){
const err9 = {instancePath:instancePath+"/maxLatencyP99",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/maxLatencyP99",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.failureLimit !== undefined){
let data4 = data.failureLimit;
if(!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))){
const err11 = {instancePath:instancePath+"/failureLimit",schemaPath:"#/properties/failureLimit/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema41.properties.failureLimit.type,parentSchema:schema41.properties.failureLimit,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if((typeof data4 == "number") && (isFinite(data4))){
if(data4 > 100 || isNaN(data4)){
const err12 = {instancePath:instancePath+"/failureLimit",schemaPath:"#/properties/failureLimit/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema41.properties.failureLimit,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data4 < 1 || isNaN(data4)){
const err13 = {instancePath:instancePath+"/failureLimit",schemaPath:"#/properties/failureLimit/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema41.properties.failureLimit,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
if(data.compareToStable !== undefined){
let data5 = data.compareToStable;
if(typeof data5 !== "boolean"){
const err14 = {instancePath:instancePath+"/compareToStable",schemaPath:"#/properties/compareToStable/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema41.properties.compareToStable.type,parentSchema:schema41.properties.compareToStable,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.inconclusiveDeadline !== undefined){
let data6 = data.inconclusiveDeadline;
if(typeof data6 === "string"){
if(!pattern6.test(data6)){
const err15 = {instancePath:instancePath+"/inconclusiveDeadline",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/inconclusiveDeadline",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
else {
const err17 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.type,parentSchema:schema41,data};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
validate25.errors = vErrors;
return errors === 0;
}
validate25.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate24(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate24.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((key0 === "steps") || (key0 === "analysis")) || (key0 === "progressDeadline"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema39,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.steps !== undefined){
let data0 = data.steps;
if(Array.isArray(data0)){
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
if(Object.keys(data1).length > 1){
const err1 = {instancePath:instancePath+"/steps/" + i0,schemaPath:"#/$defs/step/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema40,data:data1};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(Object.keys(data1).length < 1){
const err2 = {instancePath:instancePath+"/steps/" + i0,schemaPath:"#/$defs/step/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema40,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key1 in data1){
if(!((key1 === "setWeight") || (key1 === "pause"))){
const err3 = {instancePath:instancePath+"/steps/" + i0,schemaPath:"#/$defs/step/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema40,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data1.setWeight !== undefined){
let data2 = data1.setWeight;
if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){
const err4 = {instancePath:instancePath+"/steps/" + i0+"/setWeight",schemaPath:"#/$defs/step/properties/setWeight/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema40.properties.setWeight.type,parentSchema:schema40.properties.setWeight,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 100 || isNaN(data2)){
const err5 = {instancePath:instancePath+"/steps/" + i0+"/setWeight",schemaPath:"#/$defs/step/properties/setWeight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema40.properties.setWeight,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data2 < 0 || isNaN(data2)){
const err6 = {instancePath:instancePath+"/steps/" + i0+"/setWeight",schemaPath:"#/$defs/step/properties/setWeight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.properties.setWeight,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
if(data1.pause !== undefined){
let data3 = data1.pause;
if((typeof data3 !== "string") && (!(data3 && typeof data3 == "object" && !Array.isArray(data3)))){
const err7 = {instancePath:instancePath+"/steps/" + i0+"/pause",schemaPath:"#/$defs/step/properties/pause/type",keyword:"type",params:{type: schema40.properties.pause.type},message:"must be string,object",schema:schema40.properties.pause.type,parentSchema:schema40.properties.pause,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(typeof data3 === "string"){
if(!pattern8.test(data3)){
const err8 = {instancePath:instancePath+"/steps/" + i0+"/pause",schemaPath:"#/$defs/step/properties/pause/pattern",keyword:"pattern",params:{pattern: "^[0-9]{1,9}(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]{1,9}(ms|s|m|h)$"+"\"",schema:"^[0-9]{1,9}(ms|s|m|h)$",parentSchema:schema40.properties.pause,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(Object.keys(data3).length > 0){
const err9 = {instancePath:instancePath+"/steps/" + i0+"/pause",schemaPath:"#/$defs/step/properties/pause/maxProperties",keyword:"maxProperties",params:{limit: 0},message:"must NOT have more than 0 properties",schema:0,parentSchema:schema40.properties.pause,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
for(const key2 in data3){
const err10 = {instancePath:instancePath+"/steps/" + i0+"/pause",schemaPath:"#/$defs/step/properties/pause/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema40.properties.pause,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
}
else {
const err11 = {instancePath:instancePath+"/steps/" + i0,schemaPath:"#/$defs/step/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.type,parentSchema:schema40,data:data1};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/steps",schemaPath:"#/properties/steps/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema39.properties.steps.type,parentSchema:schema39.properties.steps,data:data0};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.analysis !== undefined){
if(!(validate25(data.analysis, {instancePath:instancePath+"/analysis",parentData:data,parentDataProperty:"analysis",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);
errors = vErrors.length;
}
}
if(data.progressDeadline !== undefined){
let data5 = data.progressDeadline;
if(typeof data5 === "string"){
if(!pattern6.test(data5)){
const err13 = {instancePath:instancePath+"/progressDeadline",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/progressDeadline",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
else {
const err15 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema39.type,parentSchema:schema39,data};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
validate24.errors = vErrors;
return errors === 0;
}
validate24.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const pattern9 = new RegExp("^[a-z0-9][a-z0-9.-]{0,39}$", "u");
const pattern10 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$", "u");
const pattern11 = new RegExp("^[A-Za-z_][A-Za-z0-9_]{0,127}$", "u");

function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.port === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "port"},message:"must have required property '"+"port"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.versions === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "versions"},message:"must have required property '"+"versions"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((((((key0 === "port") || (key0 === "health")) || (key0 === "versions")) || (key0 === "rollout")) || (key0 === "gateway")) || (key0 === "stopGracePeriod"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.port !== undefined){
let data0 = data.port;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
const err3 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema33.properties.port.type,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if((typeof data0 == "number") && (isFinite(data0))){
if(data0 > 65535 || isNaN(data0)){
const err4 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",schema:65535,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data0 < 1 || isNaN(data0)){
const err5 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
if(data.health !== undefined){
if(!(validate22(data.health, {instancePath:instancePath+"/health",parentData:data,parentDataProperty:"health",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
if(data.versions !== undefined){
let data2 = data.versions;
if(Array.isArray(data2)){
if(data2.length < 1){
const err6 = {instancePath:instancePath+"/versions",schemaPath:"#/properties/versions/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema33.properties.versions,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.name === undefined){
const err7 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema38.required,parentSchema:schema38,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data3.image === undefined){
const err8 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/required",keyword:"required",params:{missingProperty: "image"},message:"must have required property '"+"image"+"'",schema:schema38.required,parentSchema:schema38,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key1 in data3){
if(!((((((key1 === "name") || (key1 === "image")) || (key1 === "replicas")) || (key1 === "weight")) || (key1 === "env")) || (key1 === "command"))){
const err9 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema38,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.name !== undefined){
let data4 = data3.name;
if(typeof data4 === "string"){
if(!pattern9.test(data4)){
const err10 = {instancePath:instancePath+"/versions/" + i0+"/name",schemaPath:"#/$defs/version/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9.-]{0,39}$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9.-]{0,39}$"+"\"",schema:"^[a-z0-9][a-z0-9.-]{0,39}$",parentSchema:schema38.properties.name,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/versions/" + i0+"/name",schemaPath:"#/$defs/version/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.name.type,parentSchema:schema38.properties.name,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data3.image !== undefined){
let data5 = data3.image;
if(typeof data5 === "string"){
if(!pattern10.test(data5)){
const err12 = {instancePath:instancePath+"/versions/" + i0+"/image",schemaPath:"#/$defs/version/properties/image/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$",parentSchema:schema38.properties.image,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/versions/" + i0+"/image",schemaPath:"#/$defs/version/properties/image/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.image.type,parentSchema:schema38.properties.image,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data3.replicas !== undefined){
let data6 = data3.replicas;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
const err14 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema38.properties.replicas.type,parentSchema:schema38.properties.replicas,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 > 100 || isNaN(data6)){
const err15 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema38.properties.replicas,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data6 < 0 || isNaN(data6)){
const err16 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema38.properties.replicas,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
if(data3.weight !== undefined){
let data7 = data3.weight;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err17 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema38.properties.weight.type,parentSchema:schema38.properties.weight,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 > 100 || isNaN(data7)){
const err18 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema38.properties.weight,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data7 < 0 || isNaN(data7)){
const err19 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema38.properties.weight,data:data7};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
if(data3.env !== undefined){
let data8 = data3.env;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
for(const key2 in data8){
const _errs21 = errors;
if(typeof key2 === "string"){
if(!pattern11.test(key2)){
const err20 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]{0,127}$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]{0,127}$",parentSchema:schema38.properties.env.propertyNames,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
var valid5 = _errs21 === errors;
if(!valid5){
const err21 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid",schema:schema38.properties.env.propertyNames,parentSchema:schema38.properties.env,data:data8};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
for(const key3 in data8){
let data9 = data8[key3];
if(typeof data9 !== "string"){
const err22 = {instancePath:instancePath+"/versions/" + i0+"/env/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/version/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.env.additionalProperties.type,parentSchema:schema38.properties.env.additionalProperties,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.properties.env.type,parentSchema:schema38.properties.env,data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data3.command !== undefined){
let data10 = data3.command;
if(Array.isArray(data10)){
if(data10.length < 1){
const err24 = {instancePath:instancePath+"/versions/" + i0+"/command",schemaPath:"#/$defs/version/properties/command/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema38.properties.command,data:data10};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
const len1 = data10.length;
for(let i1=0; i1<len1; i1++){
let data11 = data10[i1];
if(typeof data11 !== "string"){
const err25 = {instancePath:instancePath+"/versions/" + i0+"/command/" + i1,schemaPath:"#/$defs/version/properties/command/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.command.items.type,parentSchema:schema38.properties.command.items,data:data11};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
else {
const err26 = {instancePath:instancePath+"/versions/" + i0+"/command",schemaPath:"#/$defs/version/properties/command/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema38.properties.command.type,parentSchema:schema38.properties.command,data:data10};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
}
else {
const err27 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.type,parentSchema:schema38,data:data3};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/versions",schemaPath:"#/properties/versions/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.versions.type,parentSchema:schema33.properties.versions,data:data2};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.rollout !== undefined){
if(!(validate24(data.rollout, {instancePath:instancePath+"/rollout",parentData:data,parentDataProperty:"rollout",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
}
if(data.gateway !== undefined){
let data13 = data.gateway;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
for(const key4 in data13){
if(!((key4 === "sticky") || (key4 === "upstreamKeepAlive"))){
const err29 = {instancePath:instancePath+"/gateway",schemaPath:"#/$defs/gateway/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data13.sticky !== undefined){
let data14 = data13.sticky;
if(typeof data14 !== "boolean"){
const err30 = {instancePath:instancePath+"/gateway/sticky",schemaPath:"#/$defs/gateway/properties/sticky/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema46.properties.sticky.type,parentSchema:schema46.properties.sticky,data:data14};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data13.upstreamKeepAlive !== undefined){
let data15 = data13.upstreamKeepAlive;
if(typeof data15 !== "boolean"){
const err31 = {instancePath:instancePath+"/gateway/upstreamKeepAlive",schemaPath:"#/$defs/gateway/properties/upstreamKeepAlive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema46.properties.upstreamKeepAlive.type,parentSchema:schema46.properties.upstreamKeepAlive,data:data15};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
else {
const err32 = {instancePath:instancePath+"/gateway",schemaPath:"#/$defs/gateway/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema46.type,parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data.stopGracePeriod !== undefined){
let data16 = data.stopGracePeriod;
if(typeof data16 === "string"){
if(!pattern8.test(data16)){
const err33 = {instancePath:instancePath+"/stopGracePeriod",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^[0-9]{1,9}(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]{1,9}(ms|s|m|h)$"+"\"",schema:"^[0-9]{1,9}(ms|s|m|h)$",parentSchema:schema37,data:data16};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
else {
const err34 = {instancePath:instancePath+"/stopGracePeriod",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data16};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://github.com/dsr/dsr/schemas/service.schema.json" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.metadata === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "metadata"},message:"must have required property '"+"metadata"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.spec === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "spec"},message:"must have required property '"+"spec"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "apiVersion") || (key0 === "kind")) || (key0 === "metadata")) || (key0 === "spec"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data0 = data.apiVersion;
if(typeof data0 !== "string"){
const err5 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.apiVersion.type,parentSchema:schema31.properties.apiVersion,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if("dsr/v1" !== data0){
const err6 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "dsr/v1"},message:"must be equal to constant",schema:"dsr/v1",parentSchema:schema31.properties.apiVersion,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if(typeof data1 !== "string"){
const err7 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.kind.type,parentSchema:schema31.properties.kind,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if("Service" !== data1){
const err8 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "Service"},message:"must be equal to constant",schema:"Service",parentSchema:schema31.properties.kind,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.metadata !== undefined){
let data2 = data.metadata;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.name === undefined){
const err9 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema32.required,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
for(const key1 in data2){
if(!(key1 === "name")){
const err10 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(!pattern4.test(data3)){
const err11 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9-]{0,39}$"},message:"must match pattern \""+"^[a-z][a-z0-9-]{0,39}$"+"\"",schema:"^[a-z][a-z0-9-]{0,39}$",parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.name.type,parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.spec !== undefined){
if(!(validate21(data.spec, {instancePath:instancePath+"/spec",parentData:data,parentDataProperty:"spec",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
}
}
else {
const err14 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.type,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};
