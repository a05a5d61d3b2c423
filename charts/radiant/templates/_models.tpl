{{/* Self-hosted model servers (models.servers): names, ports and the merged settings of one entry. */}}

{{- define "radiant.modelServerName" -}}
{{- printf "%s-model-%s" (include "radiant.fullname" .root) .server.id | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "radiant.modelServerNames" -}}
{{- $names := list -}}
{{- range .Values.models.servers -}}
{{- $names = append $names (include "radiant.modelServerName" (dict "root" $ "server" .)) -}}
{{- end -}}
{{- toYaml $names -}}
{{- end -}}

{{/* dict "root" $ "server" <entry>: the entry with defaults and its runtime's image/port filled in. */}}
{{- define "radiant.modelServer" -}}
{{- $m := .root.Values.models -}}
{{- $runtime := index $m.runtimes .server.runtime -}}
{{- $merged := merge (deepCopy .server) (deepCopy $m.defaults) (dict "image" $runtime.image "port" $runtime.port) -}}
{{- toYaml $merged -}}
{{- end -}}

{{- define "radiant.modelPorts" -}}
{{- $ports := list -}}
{{- range .Values.models.servers -}}
{{- $ports = append $ports (fromYaml (include "radiant.modelServer" (dict "root" $ "server" .))).port -}}
{{- end -}}
{{- toYaml ($ports | uniq) -}}
{{- end -}}

{{- define "radiant.modelSelectorLabels" -}}
{{ include "radiant.selectorLabels" (dict "root" .root "component" "model-server") }}
radiant.ai/model-id: {{ .server.id }}
{{- end -}}


{{/* Any self-hosted model declared: a model server, or a catalogue model on Kubernetes or SageMaker. */}}
{{- define "radiant.selfHostedDeclared" -}}
{{- $found := gt (len .Values.models.servers) 0 -}}
{{- range .Values.catalogue.models -}}
{{- if has ((.deployment | default dict).kind | default "none") (list "kubernetes" "sagemaker") -}}{{- $found = true -}}{{- end -}}
{{- end -}}
{{- if $found -}}true{{- end -}}
{{- end -}}

{{- define "radiant.catalogueDeclared" -}}
{{- if or .Values.models.servers .Values.catalogue.models .Values.catalogue.providers -}}true{{- end -}}
{{- end -}}

{{/*
The declarative catalogue the registry upserts at start (services/registry/catalogue_file.py): one provider per
model-server runtime (its Services' URL template), one model per server, then `catalogue` as given.
*/}}
{{- define "radiant.catalogue" -}}
{{- $root := . -}}
{{- $providers := list -}}
{{- $models := list -}}
{{- $runtimes := dict -}}
{{- range $entry := .Values.models.servers -}}
{{- $s := fromYaml (include "radiant.modelServer" (dict "root" $root "server" $entry)) -}}
{{- $provider := printf "%s-%s" (include "radiant.fullname" $root) $s.runtime -}}
{{- if not (hasKey $runtimes $s.runtime) -}}
{{- $_ := set $runtimes $s.runtime true -}}
{{- $template := printf "http://{name}.{namespace}.svc.%s:%v/v1" $root.Values.clusterDomain $s.port -}}
{{- $providers = append $providers (dict "name" $provider "type" "self-hosted" "status" "active" "api_format" "openai" "auth_type" "none" "capabilities" (list "chat" "streaming") "config" (dict "runtime" $s.runtime "service_url_template" $template)) -}}
{{- end -}}
{{- $t := $s.thermal | default dict -}}
{{- $p := $s.pricing | default dict -}}
{{- $thermal := dict "state" ($t.state | default "COLD") "min_instances" (int ($t.minInstances | default 0)) "max_instances" (int ($t.maxInstances | default 1)) "scale_to_zero_after_minutes" (int ($t.scaleToZeroAfterMinutes | default 15)) "warmup_time_seconds" (int ($t.warmupTimeSeconds | default 300)) "target_in_flight_per_replica" (int ($t.targetInFlightPerReplica | default 0)) -}}
{{- $pricing := dict "input_per_million" (toString ($p.inputPerMillion | default "0")) "output_per_million" (toString ($p.outputPerMillion | default "0")) "billed_markup" (toString ($p.billedMarkup | default "0")) -}}
{{- $deployment := dict "kind" "kubernetes" "name" (include "radiant.modelServerName" (dict "root" $root "server" $s)) "namespace" $root.Release.Namespace -}}
{{- with $s.instanceType }}{{ $_ := set $deployment "instance_type" . }}{{ end -}}
{{- $model := dict "name" $s.id "provider" $provider "display_name" ($s.displayName | default $s.id) "upstream_model" $s.id "status" ($s.status | default "active") "thermal" $thermal "pricing" $pricing "deployment" $deployment -}}
{{- with $s.description }}{{ $_ := set $model "description" . }}{{ end -}}
{{- with $s.contextWindow }}{{ $_ := set $model "context_window" (int .) }}{{ end -}}
{{- with $s.maxOutputTokens }}{{ $_ := set $model "max_output_tokens" (int .) }}{{ end -}}
{{- $models = append $models $model -}}
{{- end -}}
{{- toYaml (dict "providers" (concat $providers .Values.catalogue.providers) "models" (concat $models .Values.catalogue.models)) -}}
{{- end -}}
