# The seed's self-hosted catalogue (ai.stack.ts getModelConfigs): tier 3 basic, tier 4 advanced, tier 5 enterprise.
locals {
  dlc = "763104351884.dkr.ecr.${data.aws_region.current.name}.amazonaws.com"

  sagemaker_catalogue = [
    {
      min_tier = 3, id = "mistral-7b", instance_type = "ml.g4dn.xlarge", accelerators = 1, min_memory_mb = 8192
      image    = "${local.dlc}/huggingface-pytorch-tgi-inference:2.1-tgi1.4-gpu-py310-cu121-ubuntu22.04"
      env      = { HF_MODEL_ID = "mistralai/Mistral-7B-Instruct-v0.2", MAX_INPUT_LENGTH = "4096", MAX_TOTAL_TOKENS = "8192" }
    },
    {
      min_tier = 3, id = "whisper-large", instance_type = "ml.g4dn.xlarge", accelerators = 1, min_memory_mb = 8192
      image    = "${local.dlc}/huggingface-pytorch-inference:2.1-transformers4.36-gpu-py310-cu121-ubuntu22.04"
      env      = { HF_MODEL_ID = "openai/whisper-large-v3", HF_TASK = "automatic-speech-recognition" }
    },
    {
      min_tier = 4, id = "llama-70b", instance_type = "ml.g5.12xlarge", accelerators = 4, min_memory_mb = 65536
      image    = "${local.dlc}/huggingface-pytorch-tgi-inference:2.1-tgi1.4-gpu-py310-cu121-ubuntu22.04"
      env      = { HF_MODEL_ID = "meta-llama/Llama-2-70b-chat-hf", MAX_INPUT_LENGTH = "4096", MAX_TOTAL_TOKENS = "8192", SM_NUM_GPUS = "4" }
    },
    {
      min_tier = 4, id = "sdxl", instance_type = "ml.g5.2xlarge", accelerators = 1, min_memory_mb = 16384
      image    = "${local.dlc}/stabilityai-pytorch-inference:2.0-sgm0.1.0-gpu-py310-cu118-ubuntu20.04"
      env      = { MODEL_ID = "stabilityai/stable-diffusion-xl-base-1.0" }
    },
    {
      min_tier = 4, id = "yolov8", instance_type = "ml.g4dn.xlarge", accelerators = 1, min_memory_mb = 8192
      image    = "${local.dlc}/pytorch-inference:2.1-gpu-py310-cu121-ubuntu20.04"
      env      = { MODEL_NAME = "yolov8x" }
    },
    {
      min_tier = 5, id = "qwen-72b", instance_type = "ml.p4d.24xlarge", accelerators = 8, min_memory_mb = 131072
      image    = "${local.dlc}/huggingface-pytorch-tgi-inference:2.1-tgi1.4-gpu-py310-cu121-ubuntu22.04"
      env      = { HF_MODEL_ID = "Qwen/Qwen-72B-Chat", MAX_INPUT_LENGTH = "8192", MAX_TOTAL_TOKENS = "16384", SM_NUM_GPUS = "8" }
    },
    {
      min_tier = 5, id = "esm2", instance_type = "ml.g5.4xlarge", accelerators = 1, min_memory_mb = 16384
      image    = "${local.dlc}/huggingface-pytorch-inference:2.1-transformers4.36-gpu-py310-cu121-ubuntu22.04"
      env      = { HF_MODEL_ID = "facebook/esm2_t36_3B_UR50D", HF_TASK = "feature-extraction" }
    },
  ]

  sagemaker_models = var.sagemaker_models != null ? var.sagemaker_models : [
    for m in local.sagemaker_catalogue : {
      id                 = m.id
      image              = m.image
      instance_type      = m.instance_type
      model_data_url     = null
      environment        = tomap(m.env)
      max_instance_count = 1
      accelerators       = m.accelerators
      min_memory_mb      = m.min_memory_mb
      initial_copy_count = 0
    } if var.tier >= m.min_tier
  ]
}
