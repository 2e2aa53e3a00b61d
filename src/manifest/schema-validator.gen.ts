// @ts-nocheck
// GENERATED FILE, do not edit. Source: schemas/service.schema.json, compiled by ajv (standalone).
// Regenerate with `npm run gen:validator` (tsx scripts/gen-validator.ts). Used by schema.ts.
// ajv emits plain JavaScript, hence no type checking here; schema.ts gives it its type.
export const SCHEMA_SHA256 = "adfa3c8d7e7d810f8314a38ede72ab8b2de7da582f9e8d05fa8ba9e8ba00f8c7";
export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://github.com/dsr/dsr/schemas/service.schema.json","title":"ServiceManifest","description":"One service managed by DSR: its containers, health checks, versions with traffic weights, and how new versions are rolled out. One YAML document per service; a file may hold several documents separated by `---`.","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"description":"Version of the manifest format. Always `dsr/v1`.","type":"string","const":"dsr/v1"},"kind":{"description":"Kind of object. Always `Service`.","type":"string","const":"Service"},"metadata":{"$ref":"#/$defs/metadata","description":"Identity of the service."},"spec":{"$ref":"#/$defs/spec","description":"What DSR runs for the service and how it routes and rolls out."}},"$defs":{"duration":{"title":"Duration","description":"A duration: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`, `1h`). At most 24h.","type":"string","pattern":"^[0-9]{1,9}(ms|s|m|h)$","x-message":"must be a duration such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"},"positiveDuration":{"title":"PositiveDuration","description":"A duration greater than zero: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`). At most 24h.","type":"string","pattern":"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$","x-message":"must be a duration greater than zero such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"},"metadata":{"title":"ManifestMetadata","description":"Identity of the service.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"Service name, unique across the whole manifests folder: lowercase letters, digits and `-`, starting with a letter, at most 40 characters. It names the containers (`dsr-<name>-<version>-<n>`) and the gateway route (`/gateway/<name>/`).","type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits or \"-\", starting with a letter (e.g. \"web\", \"orders-api\")"}}},"spec":{"title":"ManifestSpec","description":"What DSR runs for the service and how it routes and rolls out. Every field added for real stacks (SPEC §8: port optional, strategy, volumes, resources, secrets, dependsOn, labels, health.tcp/exec) is optional, and a manifest that leaves them out means exactly what it meant before.","type":"object","additionalProperties":false,"required":["versions"],"properties":{"port":{"description":"TCP port the service's containers listen on (inside the container). Leave it out for a worker (a database, a cache, a queue consumer): no gateway route, no HTTP health check, and `dsr status` shows it as a worker. Other DSR containers still reach a worker by its container name on DSR's network.","type":"integer","minimum":1,"maximum":65535,"examples":[8080]},"strategy":{"description":"How a new version replaces the old one. `Canary` (the default with a `port`): new instances start beside the old ones and traffic moves to them step by step (`rollout`). `Rolling` (the default without a `port`): one new instance starts and becomes healthy, then one old instance is drained and removed, repeated. `Recreate`: every old instance is drained and stopped first, then the new ones start (one writer at a time: databases). `Canary` needs a `port`. With several versions (a static split), `Rolling` is allowed and `Recreate` is not (it would run two versions at once).","type":"string","enum":["Canary","Rolling","Recreate"],"x-message":"must be Canary, Rolling or Recreate","examples":["Recreate"]},"health":{"$ref":"#/$defs/health","description":"How DSR checks that an instance is healthy: exactly one of `path` (HTTP), `tcp` or `exec`, or none (HTTP on `/health` with a port; without a port and without `exec`, an instance is healthy once it has been running for `startPeriod`). Every timing field has a default.","default":{}},"versions":{"description":"The versions that run, each with its image and replica count. One version takes all traffic; with several, each needs a `weight` and the weights must sum to 100 (a static split). Replacing the single version with a new one starts a rollout.","type":"array","minItems":1,"items":{"$ref":"#/$defs/version"},"x-message":"must be a list of at least one version"},"rollout":{"$ref":"#/$defs/rollout","description":"How a new version is rolled out as a canary. Every field has a default.","default":{}},"gateway":{"$ref":"#/$defs/gateway","description":"How the gateway routes clients to this service.","default":{}},"stopGracePeriod":{"$ref":"#/$defs/duration","description":"How gently an instance is removed (scale-down, a version leaving the split, a deleted manifest, the end or abort of a rollout, a failed instance): it first leaves the gateway's routes, then its requests in flight get up to this long to finish, then it gets SIGTERM and up to this long again to exit before SIGKILL. Docker counts the SIGTERM part in whole seconds (rounded up). `0s` kills at once.","default":"10s"},"volumes":{"description":"Storage mounted into every instance. A named volume (`name`) is created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune. A host path (`hostPath`) must lie under one of the folders the operator allows in `DSR_HOST_PATHS`. Names and mount paths are unique within the service.","type":"array","items":{"$ref":"#/$defs/volume"},"x-message":"must be a list of volumes (e.g. \"- { name: data, mountPath: /var/lib/data }\")","default":[]},"resources":{"$ref":"#/$defs/resources","description":"Limits applied to every instance. Each field is optional; a missing one means no limit.","default":{}},"secrets":{"description":"Names of secret files whose `KEY=value` lines become environment variables of every instance: `<DSR_SECRETS>/<name>.env` (default `<data>/secrets/`). The values stay out of git, events, status, the API and logs. Names are file names: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters; each at most once.","type":"array","items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$","x-message":"must be a secret name: 1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit (it names the file <name>.env)"},"examples":[["orders-db"]],"default":[]},"dependsOn":{"description":"Services (by `metadata.name`, declared in the same manifests folder) that must each have a healthy instance before new instances of this service start. Unknown names, a service depending on itself and cycles are errors.","type":"array","items":{"type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be a service name (1 to 40 lowercase letters, digits or \"-\", starting with a letter)"},"examples":[["db"]],"default":[]},"labels":{"description":"Docker labels put on every instance, for your own tooling. Keys starting with `dsr.` are reserved for DSR.","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$","x-message":"is not a valid label key: 1 to 128 letters, digits, \".\", \"_\", \"/\" or \"-\", starting with a letter or digit (e.g. \"team\", \"com.example.tier\")"},"additionalProperties":{"type":"string","pattern":"^[\\s\\S]{0,4096}$","x-message":"must be a string of at most 4096 characters (quote numbers and booleans)"},"examples":[{"team":"payments"}],"default":{}}}},"health":{"title":"ManifestHealth","description":"Health check, exactly one kind: `path` (HTTP GET; healthy = a 2xx answer with the JSON body {\"status\":\"healthy\"}), `tcp: true` (a TCP connection to `port` is accepted) or `exec` (a command run inside the container exits 0). `path` and `tcp` need a `port`. With none of them: HTTP on `/health` when there is a port, else healthy once running for `startPeriod`.","type":"object","additionalProperties":false,"properties":{"path":{"description":"HTTP health check: the path that answers GET; it starts with `/`. The default check when the service has a port.","type":"string","pattern":"^/[!-~]{0,255}$","x-message":"must be a URL path starting with \"/\", without spaces (e.g. \"/health\")","default":"/health"},"tcp":{"description":"TCP health check: healthy when a connection to the instance's `port` is accepted within `timeout` (databases, caches, anything that does not speak HTTP). Only `true` is accepted; leave it out otherwise.","const":true,"x-message":"must be true (leave it out for no TCP check)"},"exec":{"description":"Command health check: run inside the container (no shell: write `[\"sh\", \"-c\", \"...\"]` for one); exit code 0 = healthy, anything else or longer than `timeout` = a failed check (e.g. `[\"pg_isready\", \"-q\"]`, `[\"redis-cli\", \"ping\"]`).","type":"array","minItems":1,"maxItems":64,"items":{"type":"string","pattern":"^[\\s\\S]{0,4096}$","x-message":"must be a string of at most 4096 characters"},"x-message":"must be a command as a list of strings, e.g. [\"pg_isready\", \"-q\"]","examples":[["pg_isready","-q"]]},"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two checks of one instance.","default":"5s"},"timeout":{"$ref":"#/$defs/positiveDuration","description":"A check that takes longer than this has failed.","default":"2s"},"failureThreshold":{"description":"Consecutive failed checks that make an instance unhealthy: it leaves the rotation and is replaced.","type":"integer","minimum":1,"maximum":100,"default":3},"successThreshold":{"description":"Consecutive successful checks that make an instance healthy (and able to receive traffic).","type":"integer","minimum":1,"maximum":100,"default":1},"startPeriod":{"$ref":"#/$defs/duration","description":"Grace period after an instance starts during which failed checks are not counted. A service without a port and without `exec` has no check: its instances count as healthy once they have been running this long.","default":"10s"}}},"version":{"title":"ManifestVersion","description":"One version of the service: an image and how many instances of it run.","type":"object","additionalProperties":false,"required":["name","image"],"properties":{"name":{"description":"Version name, unique within the service: lowercase letters, digits, `.` and `-`, starting with a letter or digit, at most 40 characters (e.g. `v1`, `2024.06.1`).","type":"string","pattern":"^[a-z0-9][a-z0-9.-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits, \".\" or \"-\", starting with a letter or digit (e.g. \"v1\", \"1.4.2\")"},"image":{"description":"Docker image reference; pulled if it is not present locally.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$","x-message":"must be a Docker image reference without spaces (e.g. \"dsr-example:v1\", \"ghcr.io/org/app:1.2\")"},"replicas":{"description":"Number of instances (containers) of this version. 0 keeps the version declared without running it. At most 100: one host cannot usefully run more.","type":"integer","minimum":0,"maximum":100,"default":1},"weight":{"description":"Share of the service's traffic, in percent. Leave it out when there is a single version (it takes 100). With several versions every version needs one and they must sum to 100.","type":"integer","minimum":0,"maximum":100},"env":{"description":"Environment variables of the containers. Values are strings: quote numbers and booleans (`PORT: \"8080\"`).","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]{0,127}$","x-message":"is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit"},"additionalProperties":{"type":"string","x-message":"must be a string (quote numbers and booleans, e.g. \"8080\", \"true\")"},"default":{}},"command":{"description":"Command and arguments that replace the image's default command (e.g. `[\"node\", \"server.js\"]`).","type":"array","minItems":1,"items":{"type":"string"}}}},"rollout":{"title":"ManifestRollout","description":"How a new version is rolled out: traffic steps, the analysis that judges each step, and a deadline for the new instances to become healthy.","type":"object","additionalProperties":false,"properties":{"steps":{"description":"Steps walked in order once the new version's instances are healthy: set the new version's traffic weight, or pause. After the last step the new version gets 100% and the old one is removed. An empty list switches all traffic at once.","type":"array","items":{"$ref":"#/$defs/step"},"default":[{"setWeight":10},{"pause":"30s"},{"setWeight":25},{"pause":"30s"},{"setWeight":50},{"pause":"30s"},{"setWeight":100}]},"analysis":{"$ref":"#/$defs/analysis","description":"Thresholds that judge the new version on the gateway's own traffic to it.","default":{}},"progressDeadline":{"$ref":"#/$defs/positiveDuration","description":"The new version's instances must be healthy by this time, or the rollout aborts (counted from the start of the rollout, or of the step that finds an instance unhealthy). It bounds health only: waiting for traffic is bounded by `analysis.inconclusiveDeadline`.","default":"120s"}}},"step":{"title":"ManifestStep","description":"One rollout step: exactly one of `setWeight` or `pause`.","type":"object","additionalProperties":false,"minProperties":1,"maxProperties":1,"x-message":"must have exactly one of setWeight or pause (e.g. \"- setWeight: 20\" or \"- pause: 30s\")","properties":{"setWeight":{"description":"Percentage of traffic sent to the new version from this step on.","type":"integer","minimum":0,"maximum":100},"pause":{"description":"Wait this long (analysis keeps running), or `{}` to wait until `dsr promote <service>`.","type":["string","object"],"pattern":"^[0-9]{1,9}(ms|s|m|h)$","additionalProperties":false,"maxProperties":0,"x-message":"must be a duration such as \"30s\" or \"2m\", or {} to wait for `dsr promote`"}}},"analysis":{"title":"ManifestAnalysis","description":"Canary analysis, judged at every interval from the gateway's traffic to the new version.","type":"object","additionalProperties":false,"properties":{"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two analysis checks.","default":"10s"},"minRequests":{"description":"Requests a verdict needs. A check with fewer is inconclusive (neither passes nor fails) and keeps its window open: the next check judges all the traffic since the last verdict (at most the last 10 minutes), so a slow trickle still reaches a verdict.","type":"integer","minimum":0,"maximum":1000000,"default":20},"maxErrorRate":{"description":"Highest acceptable share (0..1) of the new version's requests that end in a 5xx or an upstream failure.","type":"number","minimum":0,"maximum":1,"default":0.05},"maxLatencyP99":{"$ref":"#/$defs/positiveDuration","description":"Highest acceptable 99th percentile latency of the new version.","default":"500ms"},"failureLimit":{"description":"Number of failed checks that aborts the rollout.","type":"integer","minimum":1,"maximum":100,"default":2},"compareToStable":{"description":"Judge the new version against the stable version over the same window: a limit the stable version breaks just as badly (a shared database down) does not count against the new version.","type":"boolean","default":false},"inconclusiveDeadline":{"$ref":"#/$defs/positiveDuration","description":"Abort when a step has waited this long for `minRequests` requests (its checks stayed inconclusive). Leave it out to wait for traffic as long as it takes: a quiet canary holds, it is never aborted for lack of traffic."}}},"gateway":{"title":"ManifestGateway","description":"How the gateway routes clients to this service.","type":"object","additionalProperties":false,"properties":{"sticky":{"description":"During a rollout, keep each client on the version it first got (cookie), so one user does not flip between versions.","type":"boolean","default":false},"upstreamKeepAlive":{"description":"Reuse connections to instances between requests. Set `false` for an instance that may write an extra response after a correct one: on a reused HTTP/1.1 connection that stray response would be read as the answer to the next client's request (a race inherent to HTTP/1.1 keep-alive, nginx included); with `false` every request gets its own connection, closed after the response, at the cost of a TCP connect per request.","type":"boolean","default":true}}},"volume":{"title":"ManifestVolume","description":"One volume: a DSR-owned named volume (`name`) or a host folder (`hostPath`), exactly one of the two, mounted at `mountPath`.","type":"object","additionalProperties":false,"required":["mountPath"],"properties":{"name":{"description":"Named volume, created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune (removed only by `dsr volumes rm`). 1 to 40 lowercase letters, digits or `-`, starting and ending with a letter or digit.","type":"string","pattern":"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$","x-message":"must be a volume name: 1 to 40 lowercase letters, digits or \"-\", starting and ending with a letter or digit (e.g. \"data\")","examples":["data"]},"hostPath":{"description":"A folder of the host, mounted as is. It must be absolute and lie under one of the folders listed in `DSR_HOST_PATHS` (`:`-separated; `..` is resolved first). Read-only unless `readOnly: false`.","type":"string","pattern":"^[\\s\\S]{1,4096}$","x-message":"must be a path of at most 4096 characters (e.g. \"/srv/static\")","examples":["/srv/static"]},"mountPath":{"description":"Where the volume appears inside the container: an absolute path, not `/`, unique within the service.","type":"string","pattern":"^[\\s\\S]{1,4096}$","x-message":"must be a path of at most 4096 characters (e.g. \"/var/lib/data\")","examples":["/var/lib/data"]},"readOnly":{"description":"Mount read-only. Default: `false` for a named volume, `true` for a host path.","type":"boolean"},"shared":{"description":"Named volumes only: the application tolerates several instances writing this volume at once. Without it, a read-write named volume is refused when old and new instances would run together (`Canary`, `Rolling`) or when more than one instance runs.","type":"boolean","default":false}}},"resources":{"title":"ManifestResources","description":"Resource limits of every instance.","type":"object","additionalProperties":false,"properties":{"memory":{"description":"Memory limit: a whole number of bytes (`1000000`), or a number with a binary suffix `Ki`, `Mi`, `Gi`, `Ti` (powers of 1024: `256Mi`, `1.5Gi`) or a decimal suffix `k`, `M`, `G`, `T` (powers of 1000: `512M`). Lowercase `m`/`g` are refused because Docker and Kubernetes read them differently: write `Mi`/`Gi`. From 6Mi (Docker's minimum) to 1Pi.","type":["string","integer"],"examples":["256Mi","1Gi","512M",1000000]},"cpus":{"description":"CPU limit in cores (`0.5` = half a core), from 0.01 to 1024.","type":"number","minimum":0.01,"maximum":1024,"examples":[0.5]},"pids":{"description":"Most processes and threads an instance may run at once, from 2 (Docker's init plus your process) to 4194304 (Linux's ceiling). Leave room for the threads of your runtime and for `exec` health checks.","type":"integer","minimum":2,"maximum":4194304,"examples":[512]}}}}};
const schema32 = {"title":"ManifestMetadata","description":"Identity of the service.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"Service name, unique across the whole manifests folder: lowercase letters, digits and `-`, starting with a letter, at most 40 characters. It names the containers (`dsr-<name>-<version>-<n>`) and the gateway route (`/gateway/<name>/`).","type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits or \"-\", starting with a letter (e.g. \"web\", \"orders-api\")"}}};
const pattern4 = new RegExp("^[a-z][a-z0-9-]{0,39}$", "u");
const schema33 = {"title":"ManifestSpec","description":"What DSR runs for the service and how it routes and rolls out. Every field added for real stacks (SPEC §8: port optional, strategy, volumes, resources, secrets, dependsOn, labels, health.tcp/exec) is optional, and a manifest that leaves them out means exactly what it meant before.","type":"object","additionalProperties":false,"required":["versions"],"properties":{"port":{"description":"TCP port the service's containers listen on (inside the container). Leave it out for a worker (a database, a cache, a queue consumer): no gateway route, no HTTP health check, and `dsr status` shows it as a worker. Other DSR containers still reach a worker by its container name on DSR's network.","type":"integer","minimum":1,"maximum":65535,"examples":[8080]},"strategy":{"description":"How a new version replaces the old one. `Canary` (the default with a `port`): new instances start beside the old ones and traffic moves to them step by step (`rollout`). `Rolling` (the default without a `port`): one new instance starts and becomes healthy, then one old instance is drained and removed, repeated. `Recreate`: every old instance is drained and stopped first, then the new ones start (one writer at a time: databases). `Canary` needs a `port`. With several versions (a static split), `Rolling` is allowed and `Recreate` is not (it would run two versions at once).","type":"string","enum":["Canary","Rolling","Recreate"],"x-message":"must be Canary, Rolling or Recreate","examples":["Recreate"]},"health":{"$ref":"#/$defs/health","description":"How DSR checks that an instance is healthy: exactly one of `path` (HTTP), `tcp` or `exec`, or none (HTTP on `/health` with a port; without a port and without `exec`, an instance is healthy once it has been running for `startPeriod`). Every timing field has a default.","default":{}},"versions":{"description":"The versions that run, each with its image and replica count. One version takes all traffic; with several, each needs a `weight` and the weights must sum to 100 (a static split). Replacing the single version with a new one starts a rollout.","type":"array","minItems":1,"items":{"$ref":"#/$defs/version"},"x-message":"must be a list of at least one version"},"rollout":{"$ref":"#/$defs/rollout","description":"How a new version is rolled out as a canary. Every field has a default.","default":{}},"gateway":{"$ref":"#/$defs/gateway","description":"How the gateway routes clients to this service.","default":{}},"stopGracePeriod":{"$ref":"#/$defs/duration","description":"How gently an instance is removed (scale-down, a version leaving the split, a deleted manifest, the end or abort of a rollout, a failed instance): it first leaves the gateway's routes, then its requests in flight get up to this long to finish, then it gets SIGTERM and up to this long again to exit before SIGKILL. Docker counts the SIGTERM part in whole seconds (rounded up). `0s` kills at once.","default":"10s"},"volumes":{"description":"Storage mounted into every instance. A named volume (`name`) is created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune. A host path (`hostPath`) must lie under one of the folders the operator allows in `DSR_HOST_PATHS`. Names and mount paths are unique within the service.","type":"array","items":{"$ref":"#/$defs/volume"},"x-message":"must be a list of volumes (e.g. \"- { name: data, mountPath: /var/lib/data }\")","default":[]},"resources":{"$ref":"#/$defs/resources","description":"Limits applied to every instance. Each field is optional; a missing one means no limit.","default":{}},"secrets":{"description":"Names of secret files whose `KEY=value` lines become environment variables of every instance: `<DSR_SECRETS>/<name>.env` (default `<data>/secrets/`). The values stay out of git, events, status, the API and logs. Names are file names: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters; each at most once.","type":"array","items":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$","x-message":"must be a secret name: 1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit (it names the file <name>.env)"},"examples":[["orders-db"]],"default":[]},"dependsOn":{"description":"Services (by `metadata.name`, declared in the same manifests folder) that must each have a healthy instance before new instances of this service start. Unknown names, a service depending on itself and cycles are errors.","type":"array","items":{"type":"string","pattern":"^[a-z][a-z0-9-]{0,39}$","x-message":"must be a service name (1 to 40 lowercase letters, digits or \"-\", starting with a letter)"},"examples":[["db"]],"default":[]},"labels":{"description":"Docker labels put on every instance, for your own tooling. Keys starting with `dsr.` are reserved for DSR.","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$","x-message":"is not a valid label key: 1 to 128 letters, digits, \".\", \"_\", \"/\" or \"-\", starting with a letter or digit (e.g. \"team\", \"com.example.tier\")"},"additionalProperties":{"type":"string","pattern":"^[\\s\\S]{0,4096}$","x-message":"must be a string of at most 4096 characters (quote numbers and booleans)"},"examples":[{"team":"payments"}],"default":{}}}};
const schema38 = {"title":"ManifestVersion","description":"One version of the service: an image and how many instances of it run.","type":"object","additionalProperties":false,"required":["name","image"],"properties":{"name":{"description":"Version name, unique within the service: lowercase letters, digits, `.` and `-`, starting with a letter or digit, at most 40 characters (e.g. `v1`, `2024.06.1`).","type":"string","pattern":"^[a-z0-9][a-z0-9.-]{0,39}$","x-message":"must be 1 to 40 lowercase letters, digits, \".\" or \"-\", starting with a letter or digit (e.g. \"v1\", \"1.4.2\")"},"image":{"description":"Docker image reference; pulled if it is not present locally.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$","x-message":"must be a Docker image reference without spaces (e.g. \"dsr-example:v1\", \"ghcr.io/org/app:1.2\")"},"replicas":{"description":"Number of instances (containers) of this version. 0 keeps the version declared without running it. At most 100: one host cannot usefully run more.","type":"integer","minimum":0,"maximum":100,"default":1},"weight":{"description":"Share of the service's traffic, in percent. Leave it out when there is a single version (it takes 100). With several versions every version needs one and they must sum to 100.","type":"integer","minimum":0,"maximum":100},"env":{"description":"Environment variables of the containers. Values are strings: quote numbers and booleans (`PORT: \"8080\"`).","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]{0,127}$","x-message":"is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit"},"additionalProperties":{"type":"string","x-message":"must be a string (quote numbers and booleans, e.g. \"8080\", \"true\")"},"default":{}},"command":{"description":"Command and arguments that replace the image's default command (e.g. `[\"node\", \"server.js\"]`).","type":"array","minItems":1,"items":{"type":"string"}}}};
const schema46 = {"title":"ManifestGateway","description":"How the gateway routes clients to this service.","type":"object","additionalProperties":false,"properties":{"sticky":{"description":"During a rollout, keep each client on the version it first got (cookie), so one user does not flip between versions.","type":"boolean","default":false},"upstreamKeepAlive":{"description":"Reuse connections to instances between requests. Set `false` for an instance that may write an extra response after a correct one: on a reused HTTP/1.1 connection that stray response would be read as the answer to the next client's request (a race inherent to HTTP/1.1 keep-alive, nginx included); with `false` every request gets its own connection, closed after the response, at the cost of a TCP connect per request.","type":"boolean","default":true}}};
const schema37 = {"title":"Duration","description":"A duration: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`, `1h`). At most 24h.","type":"string","pattern":"^[0-9]{1,9}(ms|s|m|h)$","x-message":"must be a duration such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"};
const schema48 = {"title":"ManifestVolume","description":"One volume: a DSR-owned named volume (`name`) or a host folder (`hostPath`), exactly one of the two, mounted at `mountPath`.","type":"object","additionalProperties":false,"required":["mountPath"],"properties":{"name":{"description":"Named volume, created by DSR as `dsr-<owner>-<service>-<name>` and kept across versions, restarts and prune (removed only by `dsr volumes rm`). 1 to 40 lowercase letters, digits or `-`, starting and ending with a letter or digit.","type":"string","pattern":"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$","x-message":"must be a volume name: 1 to 40 lowercase letters, digits or \"-\", starting and ending with a letter or digit (e.g. \"data\")","examples":["data"]},"hostPath":{"description":"A folder of the host, mounted as is. It must be absolute and lie under one of the folders listed in `DSR_HOST_PATHS` (`:`-separated; `..` is resolved first). Read-only unless `readOnly: false`.","type":"string","pattern":"^[\\s\\S]{1,4096}$","x-message":"must be a path of at most 4096 characters (e.g. \"/srv/static\")","examples":["/srv/static"]},"mountPath":{"description":"Where the volume appears inside the container: an absolute path, not `/`, unique within the service.","type":"string","pattern":"^[\\s\\S]{1,4096}$","x-message":"must be a path of at most 4096 characters (e.g. \"/var/lib/data\")","examples":["/var/lib/data"]},"readOnly":{"description":"Mount read-only. Default: `false` for a named volume, `true` for a host path.","type":"boolean"},"shared":{"description":"Named volumes only: the application tolerates several instances writing this volume at once. Without it, a read-write named volume is refused when old and new instances would run together (`Canary`, `Rolling`) or when more than one instance runs.","type":"boolean","default":false}}};
const schema49 = {"title":"ManifestResources","description":"Resource limits of every instance.","type":"object","additionalProperties":false,"properties":{"memory":{"description":"Memory limit: a whole number of bytes (`1000000`), or a number with a binary suffix `Ki`, `Mi`, `Gi`, `Ti` (powers of 1024: `256Mi`, `1.5Gi`) or a decimal suffix `k`, `M`, `G`, `T` (powers of 1000: `512M`). Lowercase `m`/`g` are refused because Docker and Kubernetes read them differently: write `Mi`/`Gi`. From 6Mi (Docker's minimum) to 1Pi.","type":["string","integer"],"examples":["256Mi","1Gi","512M",1000000]},"cpus":{"description":"CPU limit in cores (`0.5` = half a core), from 0.01 to 1024.","type":"number","minimum":0.01,"maximum":1024,"examples":[0.5]},"pids":{"description":"Most processes and threads an instance may run at once, from 2 (Docker's init plus your process) to 4194304 (Linux's ceiling). Leave room for the threads of your runtime and for `exec` health checks.","type":"integer","minimum":2,"maximum":4194304,"examples":[512]}}};
const func1 = Object.prototype.hasOwnProperty;
const schema34 = {"title":"ManifestHealth","description":"Health check, exactly one kind: `path` (HTTP GET; healthy = a 2xx answer with the JSON body {\"status\":\"healthy\"}), `tcp: true` (a TCP connection to `port` is accepted) or `exec` (a command run inside the container exits 0). `path` and `tcp` need a `port`. With none of them: HTTP on `/health` when there is a port, else healthy once running for `startPeriod`.","type":"object","additionalProperties":false,"properties":{"path":{"description":"HTTP health check: the path that answers GET; it starts with `/`. The default check when the service has a port.","type":"string","pattern":"^/[!-~]{0,255}$","x-message":"must be a URL path starting with \"/\", without spaces (e.g. \"/health\")","default":"/health"},"tcp":{"description":"TCP health check: healthy when a connection to the instance's `port` is accepted within `timeout` (databases, caches, anything that does not speak HTTP). Only `true` is accepted; leave it out otherwise.","const":true,"x-message":"must be true (leave it out for no TCP check)"},"exec":{"description":"Command health check: run inside the container (no shell: write `[\"sh\", \"-c\", \"...\"]` for one); exit code 0 = healthy, anything else or longer than `timeout` = a failed check (e.g. `[\"pg_isready\", \"-q\"]`, `[\"redis-cli\", \"ping\"]`).","type":"array","minItems":1,"maxItems":64,"items":{"type":"string","pattern":"^[\\s\\S]{0,4096}$","x-message":"must be a string of at most 4096 characters"},"x-message":"must be a command as a list of strings, e.g. [\"pg_isready\", \"-q\"]","examples":[["pg_isready","-q"]]},"interval":{"$ref":"#/$defs/positiveDuration","description":"Time between two checks of one instance.","default":"5s"},"timeout":{"$ref":"#/$defs/positiveDuration","description":"A check that takes longer than this has failed.","default":"2s"},"failureThreshold":{"description":"Consecutive failed checks that make an instance unhealthy: it leaves the rotation and is replaced.","type":"integer","minimum":1,"maximum":100,"default":3},"successThreshold":{"description":"Consecutive successful checks that make an instance healthy (and able to receive traffic).","type":"integer","minimum":1,"maximum":100,"default":1},"startPeriod":{"$ref":"#/$defs/duration","description":"Grace period after an instance starts during which failed checks are not counted. A service without a port and without `exec` has no check: its instances count as healthy once they have been running this long.","default":"10s"}}};
const schema35 = {"title":"PositiveDuration","description":"A duration greater than zero: whole number followed by a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `5s`, `2m`). At most 24h.","type":"string","pattern":"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$","x-message":"must be a duration greater than zero such as \"500ms\", \"5s\", \"2m\" or \"1h\" (a whole number and a unit, no spaces)"};
const pattern5 = new RegExp("^/[!-~]{0,255}$", "u");
const pattern6 = new RegExp("^[\\s\\S]{0,4096}$", "u");
const pattern7 = new RegExp("^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$", "u");
const pattern9 = new RegExp("^[0-9]{1,9}(ms|s|m|h)$", "u");

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
if(!((((((((key0 === "path") || (key0 === "tcp")) || (key0 === "exec")) || (key0 === "interval")) || (key0 === "timeout")) || (key0 === "failureThreshold")) || (key0 === "successThreshold")) || (key0 === "startPeriod"))){
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
if(data.tcp !== undefined){
let data1 = data.tcp;
if(true !== data1){
const err3 = {instancePath:instancePath+"/tcp",schemaPath:"#/properties/tcp/const",keyword:"const",params:{allowedValue: true},message:"must be equal to constant",schema:true,parentSchema:schema34.properties.tcp,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.exec !== undefined){
let data2 = data.exec;
if(Array.isArray(data2)){
if(data2.length > 64){
const err4 = {instancePath:instancePath+"/exec",schemaPath:"#/properties/exec/maxItems",keyword:"maxItems",params:{limit: 64},message:"must NOT have more than 64 items",schema:64,parentSchema:schema34.properties.exec,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data2.length < 1){
const err5 = {instancePath:instancePath+"/exec",schemaPath:"#/properties/exec/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema34.properties.exec,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
if(typeof data3 === "string"){
if(!pattern6.test(data3)){
const err6 = {instancePath:instancePath+"/exec/" + i0,schemaPath:"#/properties/exec/items/pattern",keyword:"pattern",params:{pattern: "^[\\s\\S]{0,4096}$"},message:"must match pattern \""+"^[\\s\\S]{0,4096}$"+"\"",schema:"^[\\s\\S]{0,4096}$",parentSchema:schema34.properties.exec.items,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/exec/" + i0,schemaPath:"#/properties/exec/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.properties.exec.items.type,parentSchema:schema34.properties.exec.items,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath:instancePath+"/exec",schemaPath:"#/properties/exec/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema34.properties.exec.type,parentSchema:schema34.properties.exec,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.interval !== undefined){
let data4 = data.interval;
if(typeof data4 === "string"){
if(!pattern7.test(data4)){
const err9 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data4};
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
const err10 = {instancePath:instancePath+"/interval",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.timeout !== undefined){
let data5 = data.timeout;
if(typeof data5 === "string"){
if(!pattern7.test(data5)){
const err11 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/positiveDuration/pattern",keyword:"pattern",params:{pattern: "^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"},message:"must match pattern \""+"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$"+"\"",schema:"^0{0,8}[1-9][0-9]{0,8}(ms|s|m|h)$",parentSchema:schema35,data:data5};
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
const err12 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/positiveDuration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.failureThreshold !== undefined){
let data6 = data.failureThreshold;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
const err13 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema34.properties.failureThreshold.type,parentSchema:schema34.properties.failureThreshold,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 > 100 || isNaN(data6)){
const err14 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema34.properties.failureThreshold,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data6 < 1 || isNaN(data6)){
const err15 = {instancePath:instancePath+"/failureThreshold",schemaPath:"#/properties/failureThreshold/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema34.properties.failureThreshold,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
if(data.successThreshold !== undefined){
let data7 = data.successThreshold;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err16 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema34.properties.successThreshold.type,parentSchema:schema34.properties.successThreshold,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 > 100 || isNaN(data7)){
const err17 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema34.properties.successThreshold,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(data7 < 1 || isNaN(data7)){
const err18 = {instancePath:instancePath+"/successThreshold",schemaPath:"#/properties/successThreshold/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema34.properties.successThreshold,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
if(data.startPeriod !== undefined){
let data8 = data.startPeriod;
if(typeof data8 === "string"){
if(!pattern9.test(data8)){
const err19 = {instancePath:instancePath+"/startPeriod",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^[0-9]{1,9}(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]{1,9}(ms|s|m|h)$"+"\"",schema:"^[0-9]{1,9}(ms|s|m|h)$",parentSchema:schema37,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/startPeriod",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema34.type,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
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
if(!pattern7.test(data0)){
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
if(!pattern7.test(data3)){
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
if(!pattern7.test(data6)){
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
if(!pattern9.test(data3)){
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
if(!pattern7.test(data5)){
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

const pattern10 = new RegExp("^[a-z0-9][a-z0-9.-]{0,39}$", "u");
const pattern11 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$", "u");
const pattern12 = new RegExp("^[A-Za-z_][A-Za-z0-9_]{0,127}$", "u");
const pattern19 = new RegExp("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", "u");
const pattern20 = new RegExp("^[\\s\\S]{1,4096}$", "u");
const pattern22 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", "u");
const pattern24 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "u");

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
if(data.versions === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "versions"},message:"must have required property '"+"versions"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema33.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.port !== undefined){
let data0 = data.port;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
const err2 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema33.properties.port.type,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if((typeof data0 == "number") && (isFinite(data0))){
if(data0 > 65535 || isNaN(data0)){
const err3 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",schema:65535,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data0 < 1 || isNaN(data0)){
const err4 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema33.properties.port,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
if(data.strategy !== undefined){
let data1 = data.strategy;
if(typeof data1 !== "string"){
const err5 = {instancePath:instancePath+"/strategy",schemaPath:"#/properties/strategy/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.properties.strategy.type,parentSchema:schema33.properties.strategy,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(!(((data1 === "Canary") || (data1 === "Rolling")) || (data1 === "Recreate"))){
const err6 = {instancePath:instancePath+"/strategy",schemaPath:"#/properties/strategy/enum",keyword:"enum",params:{allowedValues: schema33.properties.strategy.enum},message:"must be equal to one of the allowed values",schema:schema33.properties.strategy.enum,parentSchema:schema33.properties.strategy,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.health !== undefined){
if(!(validate22(data.health, {instancePath:instancePath+"/health",parentData:data,parentDataProperty:"health",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
if(data.versions !== undefined){
let data3 = data.versions;
if(Array.isArray(data3)){
if(data3.length < 1){
const err7 = {instancePath:instancePath+"/versions",schemaPath:"#/properties/versions/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema33.properties.versions,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
let data4 = data3[i0];
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.name === undefined){
const err8 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema38.required,parentSchema:schema38,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data4.image === undefined){
const err9 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/required",keyword:"required",params:{missingProperty: "image"},message:"must have required property '"+"image"+"'",schema:schema38.required,parentSchema:schema38,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
for(const key1 in data4){
if(!((((((key1 === "name") || (key1 === "image")) || (key1 === "replicas")) || (key1 === "weight")) || (key1 === "env")) || (key1 === "command"))){
const err10 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema38,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data4.name !== undefined){
let data5 = data4.name;
if(typeof data5 === "string"){
if(!pattern10.test(data5)){
const err11 = {instancePath:instancePath+"/versions/" + i0+"/name",schemaPath:"#/$defs/version/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9.-]{0,39}$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9.-]{0,39}$"+"\"",schema:"^[a-z0-9][a-z0-9.-]{0,39}$",parentSchema:schema38.properties.name,data:data5};
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
const err12 = {instancePath:instancePath+"/versions/" + i0+"/name",schemaPath:"#/$defs/version/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.name.type,parentSchema:schema38.properties.name,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data4.image !== undefined){
let data6 = data4.image;
if(typeof data6 === "string"){
if(!pattern11.test(data6)){
const err13 = {instancePath:instancePath+"/versions/" + i0+"/image",schemaPath:"#/$defs/version/properties/image/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$",parentSchema:schema38.properties.image,data:data6};
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
const err14 = {instancePath:instancePath+"/versions/" + i0+"/image",schemaPath:"#/$defs/version/properties/image/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.image.type,parentSchema:schema38.properties.image,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data4.replicas !== undefined){
let data7 = data4.replicas;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err15 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema38.properties.replicas.type,parentSchema:schema38.properties.replicas,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 > 100 || isNaN(data7)){
const err16 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema38.properties.replicas,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(data7 < 0 || isNaN(data7)){
const err17 = {instancePath:instancePath+"/versions/" + i0+"/replicas",schemaPath:"#/$defs/version/properties/replicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema38.properties.replicas,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
if(data4.weight !== undefined){
let data8 = data4.weight;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
const err18 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema38.properties.weight.type,parentSchema:schema38.properties.weight,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 > 100 || isNaN(data8)){
const err19 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema38.properties.weight,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
if(data8 < 0 || isNaN(data8)){
const err20 = {instancePath:instancePath+"/versions/" + i0+"/weight",schemaPath:"#/$defs/version/properties/weight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema38.properties.weight,data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
if(data4.env !== undefined){
let data9 = data4.env;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
for(const key2 in data9){
const _errs23 = errors;
if(typeof key2 === "string"){
if(!pattern12.test(key2)){
const err21 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]{0,127}$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]{0,127}$",parentSchema:schema38.properties.env.propertyNames,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
var valid5 = _errs23 === errors;
if(!valid5){
const err22 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid",schema:schema38.properties.env.propertyNames,parentSchema:schema38.properties.env,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
for(const key3 in data9){
let data10 = data9[key3];
if(typeof data10 !== "string"){
const err23 = {instancePath:instancePath+"/versions/" + i0+"/env/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/version/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.env.additionalProperties.type,parentSchema:schema38.properties.env.additionalProperties,data:data10};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
}
else {
const err24 = {instancePath:instancePath+"/versions/" + i0+"/env",schemaPath:"#/$defs/version/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.properties.env.type,parentSchema:schema38.properties.env,data:data9};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data4.command !== undefined){
let data11 = data4.command;
if(Array.isArray(data11)){
if(data11.length < 1){
const err25 = {instancePath:instancePath+"/versions/" + i0+"/command",schemaPath:"#/$defs/version/properties/command/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema38.properties.command,data:data11};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
const len1 = data11.length;
for(let i1=0; i1<len1; i1++){
let data12 = data11[i1];
if(typeof data12 !== "string"){
const err26 = {instancePath:instancePath+"/versions/" + i0+"/command/" + i1,schemaPath:"#/$defs/version/properties/command/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.command.items.type,parentSchema:schema38.properties.command.items,data:data12};
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
const err27 = {instancePath:instancePath+"/versions/" + i0+"/command",schemaPath:"#/$defs/version/properties/command/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema38.properties.command.type,parentSchema:schema38.properties.command,data:data11};
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
const err28 = {instancePath:instancePath+"/versions/" + i0,schemaPath:"#/$defs/version/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.type,parentSchema:schema38,data:data4};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath:instancePath+"/versions",schemaPath:"#/properties/versions/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.versions.type,parentSchema:schema33.properties.versions,data:data3};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
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
let data14 = data.gateway;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key4 in data14){
if(!((key4 === "sticky") || (key4 === "upstreamKeepAlive"))){
const err30 = {instancePath:instancePath+"/gateway",schemaPath:"#/$defs/gateway/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema46,data:data14};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data14.sticky !== undefined){
let data15 = data14.sticky;
if(typeof data15 !== "boolean"){
const err31 = {instancePath:instancePath+"/gateway/sticky",schemaPath:"#/$defs/gateway/properties/sticky/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema46.properties.sticky.type,parentSchema:schema46.properties.sticky,data:data15};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data14.upstreamKeepAlive !== undefined){
let data16 = data14.upstreamKeepAlive;
if(typeof data16 !== "boolean"){
const err32 = {instancePath:instancePath+"/gateway/upstreamKeepAlive",schemaPath:"#/$defs/gateway/properties/upstreamKeepAlive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema46.properties.upstreamKeepAlive.type,parentSchema:schema46.properties.upstreamKeepAlive,data:data16};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath:instancePath+"/gateway",schemaPath:"#/$defs/gateway/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema46.type,parentSchema:schema46,data:data14};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.stopGracePeriod !== undefined){
let data17 = data.stopGracePeriod;
if(typeof data17 === "string"){
if(!pattern9.test(data17)){
const err34 = {instancePath:instancePath+"/stopGracePeriod",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^[0-9]{1,9}(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]{1,9}(ms|s|m|h)$"+"\"",schema:"^[0-9]{1,9}(ms|s|m|h)$",parentSchema:schema37,data:data17};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
else {
const err35 = {instancePath:instancePath+"/stopGracePeriod",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data17};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data.volumes !== undefined){
let data18 = data.volumes;
if(Array.isArray(data18)){
const len2 = data18.length;
for(let i2=0; i2<len2; i2++){
let data19 = data18[i2];
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
if(data19.mountPath === undefined){
const err36 = {instancePath:instancePath+"/volumes/" + i2,schemaPath:"#/$defs/volume/required",keyword:"required",params:{missingProperty: "mountPath"},message:"must have required property '"+"mountPath"+"'",schema:schema48.required,parentSchema:schema48,data:data19};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
for(const key5 in data19){
if(!(((((key5 === "name") || (key5 === "hostPath")) || (key5 === "mountPath")) || (key5 === "readOnly")) || (key5 === "shared"))){
const err37 = {instancePath:instancePath+"/volumes/" + i2,schemaPath:"#/$defs/volume/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema48,data:data19};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data19.name !== undefined){
let data20 = data19.name;
if(typeof data20 === "string"){
if(!pattern19.test(data20)){
const err38 = {instancePath:instancePath+"/volumes/" + i2+"/name",schemaPath:"#/$defs/volume/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$",parentSchema:schema48.properties.name,data:data20};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
else {
const err39 = {instancePath:instancePath+"/volumes/" + i2+"/name",schemaPath:"#/$defs/volume/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.name.type,parentSchema:schema48.properties.name,data:data20};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data19.hostPath !== undefined){
let data21 = data19.hostPath;
if(typeof data21 === "string"){
if(!pattern20.test(data21)){
const err40 = {instancePath:instancePath+"/volumes/" + i2+"/hostPath",schemaPath:"#/$defs/volume/properties/hostPath/pattern",keyword:"pattern",params:{pattern: "^[\\s\\S]{1,4096}$"},message:"must match pattern \""+"^[\\s\\S]{1,4096}$"+"\"",schema:"^[\\s\\S]{1,4096}$",parentSchema:schema48.properties.hostPath,data:data21};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/volumes/" + i2+"/hostPath",schemaPath:"#/$defs/volume/properties/hostPath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.hostPath.type,parentSchema:schema48.properties.hostPath,data:data21};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data19.mountPath !== undefined){
let data22 = data19.mountPath;
if(typeof data22 === "string"){
if(!pattern20.test(data22)){
const err42 = {instancePath:instancePath+"/volumes/" + i2+"/mountPath",schemaPath:"#/$defs/volume/properties/mountPath/pattern",keyword:"pattern",params:{pattern: "^[\\s\\S]{1,4096}$"},message:"must match pattern \""+"^[\\s\\S]{1,4096}$"+"\"",schema:"^[\\s\\S]{1,4096}$",parentSchema:schema48.properties.mountPath,data:data22};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/volumes/" + i2+"/mountPath",schemaPath:"#/$defs/volume/properties/mountPath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.mountPath.type,parentSchema:schema48.properties.mountPath,data:data22};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data19.readOnly !== undefined){
let data23 = data19.readOnly;
if(typeof data23 !== "boolean"){
const err44 = {instancePath:instancePath+"/volumes/" + i2+"/readOnly",schemaPath:"#/$defs/volume/properties/readOnly/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema48.properties.readOnly.type,parentSchema:schema48.properties.readOnly,data:data23};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data19.shared !== undefined){
let data24 = data19.shared;
if(typeof data24 !== "boolean"){
const err45 = {instancePath:instancePath+"/volumes/" + i2+"/shared",schemaPath:"#/$defs/volume/properties/shared/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema48.properties.shared.type,parentSchema:schema48.properties.shared,data:data24};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath:instancePath+"/volumes/" + i2,schemaPath:"#/$defs/volume/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema48.type,parentSchema:schema48,data:data19};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/volumes",schemaPath:"#/properties/volumes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.volumes.type,parentSchema:schema33.properties.volumes,data:data18};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data.resources !== undefined){
let data25 = data.resources;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
for(const key6 in data25){
if(!(((key6 === "memory") || (key6 === "cpus")) || (key6 === "pids"))){
const err48 = {instancePath:instancePath+"/resources",schemaPath:"#/$defs/resources/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema49,data:data25};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data25.memory !== undefined){
let data26 = data25.memory;
if((typeof data26 !== "string") && (!(((typeof data26 == "number") && (!(data26 % 1) && !isNaN(data26))) && (isFinite(data26))))){
const err49 = {instancePath:instancePath+"/resources/memory",schemaPath:"#/$defs/resources/properties/memory/type",keyword:"type",params:{type: schema49.properties.memory.type},message:"must be string,integer",schema:schema49.properties.memory.type,parentSchema:schema49.properties.memory,data:data26};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data25.cpus !== undefined){
let data27 = data25.cpus;
if((typeof data27 == "number") && (isFinite(data27))){
if(data27 > 1024 || isNaN(data27)){
const err50 = {instancePath:instancePath+"/resources/cpus",schemaPath:"#/$defs/resources/properties/cpus/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1024},message:"must be <= 1024",schema:1024,parentSchema:schema49.properties.cpus,data:data27};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(data27 < 0.01 || isNaN(data27)){
const err51 = {instancePath:instancePath+"/resources/cpus",schemaPath:"#/$defs/resources/properties/cpus/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0.01},message:"must be >= 0.01",schema:0.01,parentSchema:schema49.properties.cpus,data:data27};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
else {
const err52 = {instancePath:instancePath+"/resources/cpus",schemaPath:"#/$defs/resources/properties/cpus/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema49.properties.cpus.type,parentSchema:schema49.properties.cpus,data:data27};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
if(data25.pids !== undefined){
let data28 = data25.pids;
if(!(((typeof data28 == "number") && (!(data28 % 1) && !isNaN(data28))) && (isFinite(data28)))){
const err53 = {instancePath:instancePath+"/resources/pids",schemaPath:"#/$defs/resources/properties/pids/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.properties.pids.type,parentSchema:schema49.properties.pids,data:data28};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
if((typeof data28 == "number") && (isFinite(data28))){
if(data28 > 4194304 || isNaN(data28)){
const err54 = {instancePath:instancePath+"/resources/pids",schemaPath:"#/$defs/resources/properties/pids/maximum",keyword:"maximum",params:{comparison: "<=", limit: 4194304},message:"must be <= 4194304",schema:4194304,parentSchema:schema49.properties.pids,data:data28};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(data28 < 2 || isNaN(data28)){
const err55 = {instancePath:instancePath+"/resources/pids",schemaPath:"#/$defs/resources/properties/pids/minimum",keyword:"minimum",params:{comparison: ">=", limit: 2},message:"must be >= 2",schema:2,parentSchema:schema49.properties.pids,data:data28};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
}
}
else {
const err56 = {instancePath:instancePath+"/resources",schemaPath:"#/$defs/resources/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.type,parentSchema:schema49,data:data25};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data.secrets !== undefined){
let data29 = data.secrets;
if(Array.isArray(data29)){
const len3 = data29.length;
for(let i3=0; i3<len3; i3++){
let data30 = data29[i3];
if(typeof data30 === "string"){
if(!pattern22.test(data30)){
const err57 = {instancePath:instancePath+"/secrets/" + i3,schemaPath:"#/properties/secrets/items/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",parentSchema:schema33.properties.secrets.items,data:data30};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/secrets/" + i3,schemaPath:"#/properties/secrets/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.properties.secrets.items.type,parentSchema:schema33.properties.secrets.items,data:data30};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
}
else {
const err59 = {instancePath:instancePath+"/secrets",schemaPath:"#/properties/secrets/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.secrets.type,parentSchema:schema33.properties.secrets,data:data29};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
if(data.dependsOn !== undefined){
let data31 = data.dependsOn;
if(Array.isArray(data31)){
const len4 = data31.length;
for(let i4=0; i4<len4; i4++){
let data32 = data31[i4];
if(typeof data32 === "string"){
if(!pattern4.test(data32)){
const err60 = {instancePath:instancePath+"/dependsOn/" + i4,schemaPath:"#/properties/dependsOn/items/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9-]{0,39}$"},message:"must match pattern \""+"^[a-z][a-z0-9-]{0,39}$"+"\"",schema:"^[a-z][a-z0-9-]{0,39}$",parentSchema:schema33.properties.dependsOn.items,data:data32};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
else {
const err61 = {instancePath:instancePath+"/dependsOn/" + i4,schemaPath:"#/properties/dependsOn/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.properties.dependsOn.items.type,parentSchema:schema33.properties.dependsOn.items,data:data32};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
}
else {
const err62 = {instancePath:instancePath+"/dependsOn",schemaPath:"#/properties/dependsOn/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.dependsOn.type,parentSchema:schema33.properties.dependsOn,data:data31};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
if(data.labels !== undefined){
let data33 = data.labels;
if(data33 && typeof data33 == "object" && !Array.isArray(data33)){
for(const key7 in data33){
const _errs79 = errors;
if(typeof key7 === "string"){
if(!pattern24.test(key7)){
const err63 = {instancePath:instancePath+"/labels",schemaPath:"#/properties/labels/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$",parentSchema:schema33.properties.labels.propertyNames,data:key7,propertyName:key7};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
var valid22 = _errs79 === errors;
if(!valid22){
const err64 = {instancePath:instancePath+"/labels",schemaPath:"#/properties/labels/propertyNames",keyword:"propertyNames",params:{propertyName: key7},message:"property name must be valid",schema:schema33.properties.labels.propertyNames,parentSchema:schema33.properties.labels,data:data33};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
for(const key8 in data33){
let data34 = data33[key8];
if(typeof data34 === "string"){
if(!pattern6.test(data34)){
const err65 = {instancePath:instancePath+"/labels/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/labels/additionalProperties/pattern",keyword:"pattern",params:{pattern: "^[\\s\\S]{0,4096}$"},message:"must match pattern \""+"^[\\s\\S]{0,4096}$"+"\"",schema:"^[\\s\\S]{0,4096}$",parentSchema:schema33.properties.labels.additionalProperties,data:data34};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else {
const err66 = {instancePath:instancePath+"/labels/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/labels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.properties.labels.additionalProperties.type,parentSchema:schema33.properties.labels.additionalProperties,data:data34};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
}
else {
const err67 = {instancePath:instancePath+"/labels",schemaPath:"#/properties/labels/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.properties.labels.type,parentSchema:schema33.properties.labels,data:data33};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
}
else {
const err68 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
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
