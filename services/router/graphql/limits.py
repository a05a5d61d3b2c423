"""Bounds on what one GraphQL document may ask, checked before anything runs: nesting depth, aliases, tokens and an
estimated cost. Cost counts every object a field resolves (scalars are free); a list field multiplies what is below
it by the page it can return (its `limit` argument, else LIST_SIZE): `models(limit: 100) { items { provider {
models { id } } } }` costs about 100 x 50 registry reads and is refused, while a page of models with their
providers passes. A `chat` counts just over half the limit, so one document runs at most one chat."""
from __future__ import annotations

from graphql import (FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode,
                     IntValueNode, OperationDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule)
from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

MAX_PAGE = 100  # the seed's page-size bound (limit: 1-100)
LIST_SIZE = 50  # a list without a limit argument, e.g. Provider.models
LIST_FIELDS = frozenset({"models", "providers", "sessions"})


def _multiplier(field: FieldNode) -> int:
    if field.name.value not in LIST_FIELDS:
        return 1
    for arg in field.arguments or ():
        if arg.name.value == "limit":
            if isinstance(arg.value, IntValueNode):
                return max(1, min(int(arg.value.value), MAX_PAGE))
            return MAX_PAGE  # a variable: assume the largest page
    return LIST_SIZE


def selection_cost(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
                   chat_cost: int, seen: frozenset[str] = frozenset()) -> int:
    total = 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                continue
            if selection.name.value.startswith("__"):
                total += 1
                continue
            below = selection_cost(selection.selection_set, fragments, chat_cost, seen)
            mult = _multiplier(selection)
            base = chat_cost if selection.name.value == "chat" else 1
            total += base + mult * (max(1, below) if mult > 1 else below)
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, chat_cost, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:  # a cycle is reported by graphql's own rules
                total += selection_cost(fragments[name].selection_set, fragments, chat_cost, seen | {name})
    return total


def cost_rule(max_cost: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {d.name.value: d for d in context.document.definitions
                              if isinstance(d, FragmentDefinitionNode)}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            cost = selection_cost(node.selection_set, self.fragments, max_cost // 2 + 1)
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                self.report_error(GraphQLError(
                    f"'{name}' would cost about {cost} lookups, more than the limit of {max_cost}: ask for fewer "
                    "items (limit) or fewer nested lists", node, extensions={"cost": cost, "maxCost": max_cost}))
    return CostLimit


def extensions(max_depth: int, max_cost: int, max_aliases: int, max_tokens: int) -> list:
    return [QueryDepthLimiter(max_depth=max_depth), MaxAliasesLimiter(max_alias_count=max_aliases),
            MaxTokensLimiter(max_token_count=max_tokens), AddValidationRules([cost_rule(max_cost)])]
