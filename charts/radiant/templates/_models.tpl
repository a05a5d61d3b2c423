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
