// Validates rendered Kubernetes manifests offline (deploy/k8s/validate runs it on every overlay).
//
//   node validate.mjs [--external-secret NAME]... FILE.yaml...
//
// 1. Schemas: every object against the Kubernetes OpenAPI schema of its apiVersion and kind
//    (kubernetes-models: required fields, types, formats, enums; unknown fields are NOT flagged),
//    and KafkaTopic against kafkatopic.schema.json (Strimzi's shape, stricter: no unknown fields
//    in spec). An object of any other kind is an error, so nothing passes unchecked.
// 2. jobledger's own rules, which a schema cannot say: the security context, resources and gRPC
//    probes of every workload, one replica per writer (StatefulSet), references to ConfigMaps,
//    Secrets and ServiceAccounts that resolve, a Service and a PodDisruptionBudget per workload,
//    co-partitioned topics kept forever.
// Prints each problem as "FILE: Kind/name: where: what"; exit status 0 when there is none, 1 when
// there are problems, 2 on a usage error.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const YAML = require("yaml");
const Ajv = require("ajv").default ?? require("ajv");

const args = process.argv.slice(2);
const externalSecrets = new Set();
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--external-secret" && i + 1 < args.length) externalSecrets.add(args[++i]);
  else if (args[i].startsWith("-")) usage(`unknown option ${args[i]}`);
  else files.push(args[i]);
}
if (files.length === 0) usage("no file given");

function usage(why) {
  console.error(`validate.mjs: ${why}\nusage: node validate.mjs [--external-secret NAME]... FILE.yaml...`);
  process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const kafkaTopicSchema = ajv.compile(
  JSON.parse(readFileSync(join(here, "kafkatopic.schema.json"), "utf8")));

let problems = 0;
let checked = 0;

for (const file of files) {
  const report = (object, where, what) => {
    const id = object ? `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}` : "document";
    console.log(`${file}: ${id}: ${where ? where + ": " : ""}${what}`);
    problems++;
  };
  let documents;
  try {
    documents = YAML.parseAllDocuments(readFileSync(file, "utf8"));
  } catch (error) {
    report(null, "", `cannot read: ${error.message}`);
    continue;
  }
  const objects = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      report(null, "", `YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;  // an empty document
    objects.push(object);
  }
  for (const object of objects) {
    checked++;
    checkSchema(object, report);
  }
  checkRules(objects, report);
}

console.log(problems === 0
  ? `validate.mjs: ${checked} objects in ${files.length} file(s): OK`
  : `validate.mjs: ${checked} objects in ${files.length} file(s): ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);

// ---------------------------------------------------------------------------------------------
// Schemas

function modelFor(apiVersion, kind) {
  // "v1" is the core group (kubernetes-models/v1/Kind); "apps/v1" is kubernetes-models/apps/v1/Kind.
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return null;
  }
  try {
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind] ?? null;
  } catch {
    return null;
  }
}

function checkSchema(object, report) {
  if (typeof object !== "object" || Array.isArray(object)) {
    return report(null, "", "a document that is not an object");
  }
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return report(object, "", "apiVersion and kind must be strings");
  }
  if (typeof object.metadata?.name !== "string" || object.metadata.name === "") {
    return report(object, "metadata.name", "required");
  }
  if (apiVersion === "kafka.strimzi.io/v1beta2" && kind === "KafkaTopic") {
    if (!kafkaTopicSchema(object)) {
      for (const error of kafkaTopicSchema.errors) {
        const extra = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
        report(object, error.instancePath || "/", `${error.message}${extra}`);
      }
    }
    return;
  }
  const Model = modelFor(apiVersion, kind);
  if (Model === null) return report(object, "", `no schema for ${apiVersion} ${kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    // @kubernetes-models/validate throws one error listing every violation: "data/spec ..., ...".
    for (const line of String(error.message).split(/, (?=data[/ ])/)) report(object, "", line);
  }
}

// ---------------------------------------------------------------------------------------------
// jobledger's rules

function checkRules(objects, report) {
  const named = (kind, name) =>
    objects.find((o) => o?.kind === kind && o?.metadata?.name === name);
  const workloads = objects.filter((o) => ["Deployment", "StatefulSet"].includes(o?.kind));

  for (const workload of workloads) {
    const spec = workload.spec ?? {};
    const pod = spec.template?.spec ?? {};
    const podLabels = spec.template?.metadata?.labels ?? {};
    const at = (where, what) => report(workload, where, what);

    if (workload.kind === "StatefulSet" && spec.replicas !== 1) {
      at("spec.replicas", "must be 1: each jobledger service is the single writer of its topic");
    }
    if (pod.automountServiceAccountToken !== false) {
      at("spec.template.spec.automountServiceAccountToken", "must be false");
    }
    if (pod.enableServiceLinks !== false) {
      at("spec.template.spec.enableServiceLinks", "must be false (JOBLEDGER_* variables are configuration)");
    }
    const account = named("ServiceAccount", pod.serviceAccountName);
    if (!account) at("spec.template.spec.serviceAccountName", `no ServiceAccount "${pod.serviceAccountName}"`);
    else if (account.automountServiceAccountToken !== false) {
      report(account, "automountServiceAccountToken", "must be false");
    }
    const podSecurity = pod.securityContext ?? {};
    if (podSecurity.seccompProfile?.type !== "RuntimeDefault") {
      at("spec.template.spec.securityContext.seccompProfile.type", "must be RuntimeDefault");
    }
    if (!Array.isArray(pod.containers) || pod.containers.length === 0) {
      at("spec.template.spec.containers", "none");
    }
    for (const [index, container] of (pod.containers ?? []).entries()) {
      const where = (path) => `spec.template.spec.containers[${index}].${path}`;
      const security = container.securityContext ?? {};
      if (security.runAsNonRoot !== true && podSecurity.runAsNonRoot !== true) {
        at(where("securityContext.runAsNonRoot"), "must be true");
      }
      if (security.readOnlyRootFilesystem !== true) {
        at(where("securityContext.readOnlyRootFilesystem"), "must be true");
      }
      if (security.allowPrivilegeEscalation !== false) {
        at(where("securityContext.allowPrivilegeEscalation"), "must be false");
      }
      if (!(security.capabilities?.drop ?? []).includes("ALL")) {
        at(where("securityContext.capabilities.drop"), "must include ALL");
      }
      for (const bound of ["requests", "limits"]) {
        for (const resource of ["cpu", "memory"]) {
          if (container.resources?.[bound]?.[resource] === undefined) {
            at(where(`resources.${bound}.${resource}`), "required");
          }
        }
      }
      const grpcPort = (container.ports ?? []).find((p) => p.name === "grpc")?.containerPort;
      const metricsPort = (container.ports ?? []).find((p) => p.name === "metrics")?.containerPort;
      if (grpcPort === undefined) at(where("ports"), 'no port named "grpc"');
      for (const [probe, service] of [["startupProbe", "liveness"], ["livenessProbe", "liveness"],
                                      ["readinessProbe", "readiness"]]) {
        const grpc = container[probe]?.grpc;
        if (!grpc) at(where(probe), `required, a gRPC probe of the "${service}" service`);
        else if (grpc.service !== service || grpc.port !== grpcPort) {
          at(where(`${probe}.grpc`), `must probe service "${service}" on the grpc port ${grpcPort}`);
        }
      }
      const annotations = spec.template?.metadata?.annotations ?? {};
      if (annotations["prometheus.io/scrape"] !== "true" ||
          annotations["prometheus.io/port"] !== String(metricsPort)) {
        at("spec.template.metadata.annotations",
           `prometheus.io/scrape "true" and prometheus.io/port "${metricsPort}" (the metrics port)`);
      }
      // References that would leave the pod unable to start.
      for (const [i, source] of (container.envFrom ?? []).entries()) {
        if (source.configMapRef && !source.configMapRef.optional) {
          needs("ConfigMap", source.configMapRef.name, where(`envFrom[${i}].configMapRef`));
        }
        if (source.secretRef && !source.secretRef.optional) {
          needs("Secret", source.secretRef.name, where(`envFrom[${i}].secretRef`));
        }
      }
      for (const [i, variable] of (container.env ?? []).entries()) {
        const from = variable.valueFrom ?? {};
        if (from.secretKeyRef && !from.secretKeyRef.optional) {
          needs("Secret", from.secretKeyRef.name, where(`env[${i}].valueFrom.secretKeyRef`));
        }
        if (from.configMapKeyRef && !from.configMapKeyRef.optional) {
          needs("ConfigMap", from.configMapKeyRef.name, where(`env[${i}].valueFrom.configMapKeyRef`));
        }
      }
      const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
      for (const template of spec.volumeClaimTemplates ?? []) volumes.add(template.metadata?.name);
      for (const [i, mount] of (container.volumeMounts ?? []).entries()) {
        if (!volumes.has(mount.name)) at(where(`volumeMounts[${i}]`), `no volume "${mount.name}"`);
      }
    }
    for (const [i, volume] of (pod.volumes ?? []).entries()) {
      if (volume.secret && !volume.secret.optional) {
        needs("Secret", volume.secret.secretName, `spec.template.spec.volumes[${i}].secret`);
      }
      if (volume.configMap && !volume.configMap.optional) {
        needs("ConfigMap", volume.configMap.name, `spec.template.spec.volumes[${i}].configMap`);
      }
    }
    const selects = (selector) => selector && Object.keys(selector).length > 0 &&
      Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    if (!selects(spec.selector?.matchLabels)) {
      at("spec.selector.matchLabels", "must select the pod template's labels");
    }
    if (!objects.some((o) => o?.kind === "Service" && selects(o.spec?.selector))) {
      at("", "no Service selects its pods");
    }
    if (!objects.some((o) => o?.kind === "PodDisruptionBudget" && selects(o.spec?.selector?.matchLabels))) {
      at("", "no PodDisruptionBudget selects its pods");
    }
    if (workload.kind === "StatefulSet" && !named("Service", spec.serviceName)) {
      at("spec.serviceName", `no Service "${spec.serviceName}"`);
    }

    function needs(kind, name, where) {
      if (named(kind, name)) return;
      if (kind === "Secret" && externalSecrets.has(name)) return;
      at(where, `${kind} "${name}" is neither rendered here nor a documented external Secret`);
    }
  }

  const topics = objects.filter((o) => o?.kind === "KafkaTopic");
  const partitions = new Set(topics.map((t) => t.spec?.partitions));
  if (partitions.size > 1) {
    for (const topic of topics) {
      report(topic, "spec.partitions",
             `the topics are co-partitioned: all must have the same count (${[...partitions].join(", ")})`);
    }
  }
  for (const topic of topics) {
    for (const key of ["retention.ms", "retention.bytes"]) {
      if (topic.spec?.config?.[key] !== -1) {
        report(topic, `spec.config.${key}`, "must be -1: the event logs are kept forever");
      }
    }
    const minInsync = topic.spec?.config?.["min.insync.replicas"];
    if (typeof minInsync !== "number" || minInsync > topic.spec?.replicas) {
      report(topic, "spec.config.min.insync.replicas", "must be a number no larger than spec.replicas");
    }
  }
}
