"""Reference: option probabilities of a Hugging Face VLM folder in PyTorch/transformers, for the same
multiple-choice prompt MedBridge builds (question, lettered options, "Answer with the letter.", the
tokenizer's chat template with one image before the text).

    python hf_vlm_reference.py HF_FOLDER ITEMS.jsonl OUT.jsonl

ITEMS.jsonl: {"item", "image" (PNG path), "question", "options"}; OUT.jsonl: {"item", "probs", "greedy", "firstTokens"}.
probs: softmax over the option letters' logits at the last prompt position (temperature 1). firstTokens: the most
likely first generated tokens under the softmax over the whole vocabulary (the distribution a sampler draws the
first answer token from), as {"token" (id), "p"}, the 12 most likely."""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"

import torch  # noqa: E402
import transformers  # noqa: E402
from PIL import Image  # noqa: E402

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
INSTRUCTION = "Answer with the letter."


def prompt_text(question, options):
    return "\n".join([question.strip(), *[f"{LETTERS[i]}. {o}" for i, o in enumerate(options)], INSTRUCTION])


def letter_ids(tokenizer, count):
    ids = []
    for letter in LETTERS[:count]:
        enc = tokenizer.encode(letter, add_special_tokens=False)
        ids.append(enc[0] if len(enc) == 1 else tokenizer.convert_tokens_to_ids(letter))
    return ids


def main(folder, items_path, out_path):
    config = json.load(open(os.path.join(folder, "config.json")))
    cls = getattr(transformers, config["architectures"][0])
    model = cls.from_pretrained(folder, local_files_only=True, dtype=torch.float32, attn_implementation="eager").eval()
    # transformers' PIL image-processor backend: the processors' original implementation (Pillow resize)
    image_processor = transformers.AutoImageProcessor.from_pretrained(folder, local_files_only=True, backend="pil")
    processor = transformers.AutoProcessor.from_pretrained(folder, local_files_only=True, image_processor=image_processor)
    tokenizer = processor.tokenizer
    with open(items_path) as f, open(out_path, "w") as out:
        for line in f:
            item = json.loads(line)
            messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": prompt_text(item["question"], item["options"])}]}]
            template = tokenizer.chat_template or processor.chat_template
            prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False, chat_template=template)
            image = Image.open(item["image"]).convert("RGB")
            inputs = processor(images=image, text=prompt, return_tensors="pt")
            with torch.no_grad():
                logits = model(**inputs).logits[0, -1].double()
            ids = letter_ids(tokenizer, len(item["options"]))
            probs = torch.softmax(logits[ids], dim=0)
            full = torch.softmax(logits, dim=0)
            first = [{"token": t, "p": float(full[t])} for t in torch.argsort(full, descending=True)[:12].tolist()]
            out.write(json.dumps({"item": item["item"], "probs": probs.tolist(), "greedy": int(torch.argmax(probs)), "firstTokens": first}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
