"""MedBridge converter: a local Hugging Face VLM folder -> the ONNX pack layout MedBridge's VLM runner reads."""
