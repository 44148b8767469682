"""Drives kabao with the unmodified wechatpayv3 SDK (PyPI), changing only its base URL.

Arguments come as one JSON object on argv[1]; the result is one JSON object on stdout.
"""
import json
import os
import sys

from wechatpayv3 import WeChatPay, WeChatPayType

args = json.loads(sys.argv[1])
key = open(args["key_file"]).read()


def client(**extra):
    wxpay = WeChatPay(
        wechatpay_type=WeChatPayType.NATIVE,
        mchid=args["mchid"],
        private_key=key,
        cert_serial_no=extra.pop("serial", args["serial"]),
        apiv3_key=args["apiv3_key"],
        appid="wx5ab0c0de00000002",
        notify_url="https://example.invalid/notify",
        **extra,
    )
    wxpay._core._gate_way = args["base_url"]  # the one change: kabao instead of api.mch.weixin.qq.com
    return wxpay


result = {}

# Certificate mode. cert_dir is seeded with another valid certificate so the
# constructor makes no call; kabao then answers with a serial the SDK does not
# know, and the SDK downloads /v3/certificates from kabao and verifies with it.
cert_mode = client(cert_dir=args["cert_dir"])
code, text = cert_mode._core.request("/v3/certificates")
result["cert_mode_status"] = code
result["cert_mode_serials"] = sorted(hex(c.serial_number)[2:].upper() for c in cert_mode._core._certificates)
result["cert_dir_files"] = sorted(os.listdir(args["cert_dir"]))
result["cert_mode_body_serials"] = [d["serial_no"] for d in json.loads(text)["data"]]

# Public-key mode: the SDK names the key id in Wechatpay-Serial and verifies
# kabao's answer with the public key.
pk_mode = client(public_key=args["public_key_pem"], public_key_id=args["public_key_id"])
code, _ = pk_mode._core.request("/v3/certificates")
result["public_key_mode_status"] = code

# A request signed under a serial kabao does not know is refused.
wrong = client(public_key=args["public_key_pem"], public_key_id=args["public_key_id"], serial="ABCDEF")
code, text = wrong._core.request("/v3/certificates")
result["wrong_serial_status"] = code
result["wrong_serial_code"] = json.loads(text)["code"]

# A tampered answer fails the SDK's own verification.
try:
    tampered = client(public_key=args["other_public_key_pem"], public_key_id=args["public_key_id"])
    tampered._core.request("/v3/certificates")
    result["wrong_key_verifies"] = True
except Exception as e:  # the SDK raises 'failed to verify the signature'
    result["wrong_key_verifies"] = False
    result["wrong_key_error"] = str(e)

print(json.dumps(result))
