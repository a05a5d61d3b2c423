"""GraphQL at /graphql: the seed's schema (graphql/schema.graphql of radiant-cdk-ai-api-stacks) on the router's own
pipeline and rules. Resolvers authenticate and authorize through services.router.access, read through the REST
edge's view functions and write through the admin API's resource functions: GraphQL holds no rule of its own."""
