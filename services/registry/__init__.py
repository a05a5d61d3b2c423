"""Registry service: providers and models (capabilities, pricing, thermal state, deployment target) and a change
stream."""
