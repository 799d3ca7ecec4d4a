import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";
import { rev } from "../secrets/tokens.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const ids = (src: string) => analyzePython(parser, src).hits.map((h) => h.rule.id);

/** Each rule: code that must be flagged, and look-alikes that must not be (by any rule). */
const CASES: Record<string, { vulnerable: string[]; safe: string[] }> = {
  [CODE_RULES.deserialization.id]: {
    vulnerable: [
      "import pickle\nmodel = pickle.load(open('m.pkl', 'rb'))",
      "import pickle as pk\nobj = pk.loads(blob)",
      "from pickle import loads\nobj = loads(blob)",
      "from pickle import load as L\nobj = L(fh)",
      "import cPickle\ncPickle.load(f)",
      "import dill\ndill.loads(payload)",
      "import cloudpickle\ncloudpickle.load(f)",
      "import joblib\nclf = joblib.load('model.joblib')",
      "from sklearn.externals import joblib\nclf = joblib.load(path)",
      "import pandas as pd\ndf = pd.read_pickle(path)",
      "import shelve\ndb = shelve.open('cache')",
      "import shelve\ndb = shelve.DbfilenameShelf('cache')", // session 12 (tuned: after the precli run)
      "import pickle\nu = pickle.Unpickler(f)\nu.load()",
      "from pickle import *\nobj = loads(data)",
      "import jsonpickle\nobj = jsonpickle.decode(s)",
      "import jsonpickle\nobj = jsonpickle.unpickler.decode(s)",
      "import jsonpickle\nobj = jsonpickle.unpickler.Unpickler().restore(state)",
      "from jsonpickle.unpickler import Unpickler\nu = Unpickler()\nobj = u.restore(state)",
      "import torch.distributed as dist\ndist.broadcast_object_list(objs, src=0)",
      "from torch import distributed\ndistributed.recv_object_list(objs)",
      "from torch.package import PackageImporter\nimp = PackageImporter(path)",
      "def f():\n    import pickle as p2\n    return p2.load(fh)",
      "from langchain_community.vectorstores import FAISS\ndb = FAISS.load_local(folder, emb, allow_dangerous_deserialization=True)",
      "store = Chroma.load(p, allow_dangerous_deserialization=flag)",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='0123456789abcdef0123456789abcdef01234567', use_safetensors=False)",
      "import torch\nm = torch.jit.load(path)",
      "import skops.io as sio\nclf = sio.load(path, trusted=True)",
      "import skops.io as sio\nclf = sio.load(path, trusted=sio.get_untrusted_types(file=path))",
      "import mlflow\nm = mlflow.sklearn.load_model(uri)",
      "from mlflow import pyfunc\nm = pyfunc.load_model(model_uri)",
      "import ray\nobj = ray.cloudpickle.loads(blob)",
      "import msgpack\nimport msgpack_numpy as m\nx = msgpack.unpackb(data, object_hook=m.decode)",
      "import msgpack_numpy\nmsgpack_numpy.patch()",
      "import msgpack\nimport msgpack_numpy\nmsgpack_numpy.patch()\nobj = msgpack.unpackb(blob)",
    ],
    safe: [
      "import json\njson.load(f)",
      "import pickle\npickle.dump(obj, f)",
      "import pickle\ndata = pickle.dumps(obj)",
      "import pandas as pd\ndf = pd.read_parquet(path)",
      "from safetensors.torch import load_file\nw = load_file('m.safetensors')",
      "obj = mylib.load(f)",
      "import joblib\njoblib.dump(clf, 'model.joblib')",
      "import jsonpickle\ns = jsonpickle.encode(obj)",
      "import tensorflow as tf\nckpt = tf.train.Checkpoint(model=m)\nckpt.restore(path)",
      "import jsonpickle\nstate.restore(snapshot)",
      "import torch.distributed as dist\ndist.broadcast(tensor, src=0)",
      "import torch\ntorch.package.PackageExporter(path)",
      "from langchain_community.vectorstores import FAISS\ndb = FAISS.load_local(folder, emb, allow_dangerous_deserialization=False)",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('./local', use_safetensors=True)",
      "import skops.io as sio\nclf = sio.load(path)",
      "import skops.io as sio\nclf = sio.load(path, trusted=['sklearn.tree._tree.Tree'])",
      "import mlflow\nm = mlflow.onnx.load_model(uri)",
      "import torch\ntorch.jit.save(m, path)",
      "import msgpack\nx = msgpack.unpackb(data, raw=False)",
      "from unittest import mock\nmock.patch('a.b')",
    ],
  },
  [CODE_RULES.torchLoad.id]: {
    vulnerable: [
      "import torch\nsd = torch.load('ckpt.pt')",
      "import torch\nsd = torch.load(path, weights_only=False)",
      "from torch import load as L\nsd = L(path, map_location='cpu')",
      "import torch as T\nT.load(f)",
    ],
    safe: [
      "import torch\nsd = torch.load(path, weights_only=True)",
      "import torch\nsd = torch.load(path, map_location='cpu', weights_only=True)",
      "import torch\nmodel.eval()\nmodel.load_state_dict(sd)",
      "import torch\ntorch.save(sd, path)",
    ],
  },
  [CODE_RULES.numpyPickle.id]: {
    vulnerable: [
      "import numpy as np\narr = np.load('x.npy', allow_pickle=True)",
      "from numpy import load\nload(f, allow_pickle=True)",
      "import numpy\nx = numpy.load(p, allow_pickle=1)",
      "import numpy\nx = numpy.load(allow_pickle='False', file=p)",
      "import numpy as np\na = np.lib.format.read_array(f, allow_pickle=True)",
    ],
    safe: [
      "import numpy as np\narr = np.load('x.npy')",
      "import numpy as np\narr = np.load('x.npy', allow_pickle=False)",
      "import numpy as np\nnp.save('x.npy', arr, allow_pickle=True)",
      "import numpy\nx = numpy.load(p, allow_pickle=[])",
      "import numpy\nx = numpy.load(p, allow_pickle='')",
      "import numpy\nx = numpy.load(p, allow_pickle=None)",
      "import numpy\nx = numpy.load(p, allow_pickle=0)",
      "import numpy as np\na = np.lib.format.read_array(f)",
    ],
  },
  [CODE_RULES.yamlLoad.id]: {
    vulnerable: [
      "import yaml\ncfg = yaml.load(open('c.yaml'))",
      "import yaml\ncfg = yaml.load(s, Loader=yaml.Loader)",
      "import yaml\ncfg = yaml.load(s, yaml.UnsafeLoader)",
      "import yaml\ncfg = yaml.unsafe_load(s)",
      "import yaml\ncfg = yaml.full_load(s)",
      "from yaml import load, FullLoader\nload(s, Loader=FullLoader)",
      "from ruamel.yaml import YAML\ny = YAML(typ='unsafe')",
    ],
    safe: [
      "import yaml\ncfg = yaml.safe_load(f)",
      "import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)",
      "import yaml\ncfg = yaml.load(f, Loader=yaml.CSafeLoader)",
      "from yaml import load, SafeLoader\nload(s, SafeLoader)",
      "from ruamel.yaml import YAML\ny = YAML(typ='safe')",
      "from ruamel.yaml import YAML\ny = YAML()",
      "import yaml\nfrom ruamel.yaml import YAML\nyaml = YAML(typ='rt')\nyaml.load(f)",
      "import json\njson.load(f)",
    ],
  },
  [CODE_RULES.kerasUnsafe.id]: {
    vulnerable: [
      "import tensorflow as tf\nm = tf.keras.models.load_model('m.keras', safe_mode=False)",
      "from keras.models import load_model\nm = load_model(p, safe_mode=False)",
      "import keras\nkeras.config.enable_unsafe_deserialization()",
      "from keras.models import load_model\nm = load_model('model.h5')",
      "import tensorflow as tf\nm = tf.keras.models.load_model('weights/best.hdf5', safe_mode=True)",
      // session 10: the format decides what safe_mode protects
      "import os\nfrom keras.models import load_model\nm = load_model(os.path.join(run_dir, 'best.h5'))",
      "from tensorflow import keras\nm = keras.models.load_model(f'{run_dir}/model.hdf5')",
      "from pathlib import Path\nfrom keras.models import load_model\nm = load_model(Path(d) / 'weights.h5')",
      "from keras.models import load_model\nBEST = 'ckpt/best.h5'\nm = load_model(BEST)",
      "from keras.models import load_model\nm = load_model(model_path)",
      "import tf_keras\nm = tf_keras.models.load_model(path)",
      "import keras\nm = keras.models.load_model('m.keras', safe_mode=cfg.safe)",
      "from keras.models import model_from_yaml\nm = model_from_yaml(open(p).read())",
    ],
    safe: [
      "import tensorflow as tf\nm = tf.keras.models.load_model('m.keras')",
      "from keras.models import load_model\nm = load_model(p, safe_mode=True)",
      "import h5py\nf = h5py.File('model.h5')",
      "import os\nfrom keras.models import load_model\nm = load_model(os.path.join(run_dir, 'best.keras'))",
      "from tensorflow import keras\nm = keras.models.load_model(f'{run_dir}/model.keras')",
      "from keras.models import model_from_yaml\nm = model_from_yaml('backend: tensorflow')",
      "model = build()\nmodel.load_model(path)",
    ],
  },
  [CODE_RULES.templateInjection.id]: {
    vulnerable: [
      "from flask import request, render_template_string\ndef hello():\n    return render_template_string(request.args['tpl'])",
      "from flask import Flask, request, render_template_string\napp = Flask(__name__)\n@app.route('/')\ndef hello():\n    name = request.args.get('name')\n    return render_template_string(f'<p>Hello {name}</p>')",
      "import jinja2\ndef render(tpl, data):\n    return jinja2.Template('Hi ' + tpl).render(**data)",
      "from jinja2 import Environment\nenv = Environment()\ndef page(body):\n    return env.from_string('<div>%s</div>' % body).render()",
      "import sys\nfrom jinja2 import Template\nTemplate(sys.argv[1]).render()",
      "from django.template import Template, Context\ndef view(request):\n    return Template('<h1>' + request.GET['title'] + '</h1>').render(Context({}))",
      "from mako.template import Template\ndef page(msg):\n    return Template('<b>{}</b>'.format(msg)).render()",
      "import tornado.template\nt = tornado.template.Template(input())",
      "from flask import render_template_string\nfrom openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model='m', messages=[])\nhtml = render_template_string(r.choices[0].message.content)",
      // session 13: the configured Django engine by alias, and the default engine
      "from django.template import engines\ndef v(request):\n    return engines['django'].from_string(request.GET['t']).render({})",
      "from django.template import Engine\ndef v(request):\n    return Engine.get_default().from_string(request.GET['t'])",
    ],
    safe: [
      "from flask import request, render_template_string\ndef hello():\n    return render_template_string('<p>Hello {{ name }}</p>', name=request.args['n'])",
      "from flask import render_template_string\nTEMPLATE = '<p>{{ x }}</p>'\ndef f(x):\n    return render_template_string(TEMPLATE, x=x)",
      "from jinja2.sandbox import SandboxedEnvironment\nenv = SandboxedEnvironment()\nprint(env.from_string(input()).render())",
      "import string\nt = string.Template(input()).substitute(x=1)",
      "from jinja2 import Environment, select_autoescape\nenv = Environment(autoescape=select_autoescape())\nt = env.from_string('{{ x }}')",
      "from jinja2 import Template\nt = Template('Hello {{ name }}')\nprint(t.render(name=input()))",
      "from flask import render_template\ndef v(request):\n    return render_template('index.html', q=request.args['q'])",
      "from string import Template\nTemplate(open('t.txt').read() + suffix).substitute(a=1)",
      "from django.template import engines\ndef v(request):\n    return engines['django'].from_string('Hi {{ n }}').render({'n': request.GET['n']})",
    ],
  },
  [CODE_RULES.templateAutoescape.id]: {
    vulnerable: [
      "from jinja2 import Environment, FileSystemLoader\nenv = Environment(loader=FileSystemLoader('t'), autoescape=False)",
      "import jinja2\nenv = jinja2.Environment(autoescape=0)",
      // session 13 (low): Jinja2's default is no escaping, as Bandit's B701 says
      "import jinja2\nenv = jinja2.Environment()",
      "from jinja2 import Environment, FileSystemLoader\nenv = Environment(loader=FileSystemLoader('t'))",
    ],
    safe: [
      "from jinja2 import Environment, select_autoescape\nenv = Environment(autoescape=select_autoescape(['html']))",
      "import jinja2\nenv = jinja2.Environment(autoescape=True)",
      "from jinja2.sandbox import SandboxedEnvironment\nenv = SandboxedEnvironment(autoescape=False)",
      "from jinja2 import Environment\nenv = Environment(**options)",
      "from jinja2.sandbox import SandboxedEnvironment\nenv = SandboxedEnvironment()",
    ],
  },
  [CODE_RULES.trustRemoteCode.id]: {
    vulnerable: [
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='a'*40, trust_remote_code=True)",
      "from datasets import load_dataset\nds = load_dataset('org/d', revision='v1', trust_remote_code=True)",
      "kwargs = {'trust_remote_code': True}\n",
      "TRUST = True\nm = AutoModel.from_pretrained('org/m', revision='abc', trust_remote_code=TRUST)",
    ],
    safe: [
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='0123456789abcdef0123456789abcdef01234567', trust_remote_code=False)",
      "m = AutoModel.from_pretrained('./local', trust_remote_code=False)",
    ],
  },
  [CODE_RULES.evalExec.id]: {
    vulnerable: [
      "result = eval(user_input)",
      "exec(request.form['code'])",
      "code = compile(src, '<s>', 'exec')",
      "out = eval(f'{a} + {b}')",
      "import builtins\nbuiltins.eval(expr)",
      "import pandas as pd\nr = pd.eval(expr)",
      "import pandas as pd\ndf = pd.read_csv(p)\nout = df.query(user_filter)",
    ],
    safe: [
      "model.eval()",
      "import ast\nv = ast.literal_eval(s)",
      "import re\nr = re.compile(pattern)",
      "import torch\nm = torch.compile(model)",
      "def eval(x):\n    return x\neval(y)",
      "import pandas as pd\nr = pd.eval('a + b')",
      "import pandas as pd\ndf = pd.read_csv(p)\nout = df.query('a > 1')",
      "out = session.query(User)",
      "from foo import eval\nx = eval(data)",
    ],
  },
  // session 15: agents and LLM tools set to run what the model writes (more in agent.test.ts)
  [CODE_RULES.agentCodeExecution.id]: {
    vulnerable: [
      "from langchain_experimental.agents import create_pandas_dataframe_agent\nagent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)",
      "from interpreter import interpreter\ninterpreter.auto_run = True",
      "from langchain_experimental.tools import PythonREPLTool\ntools = [PythonREPLTool()]",
      "from langchain.agents import load_tools\ntools = load_tools(['terminal'], llm=llm)",
    ],
    safe: [
      "agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=False)",
      "from interpreter import interpreter\ninterpreter.auto_run = False",
      "class PythonREPLTool:\n    pass\ntools = [PythonREPLTool()]",
      "from langchain.agents import load_tools\ntools = load_tools(['serpapi', 'wikipedia'], llm=llm)",
    ],
  },
  [CODE_RULES.agentOpenRequests.id]: {
    vulnerable: ["from langchain_community.agent_toolkits.openapi.toolkit import RequestsToolkit\ntk = RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=True)"],
    safe: ["from langchain_community.agent_toolkits.openapi.toolkit import RequestsToolkit\ntk = RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=False)"],
  },
  [CODE_RULES.shell.id]: {
    vulnerable: [
      "import os\nos.system('rm -rf ' + path)",
      "import os\nos.system(f'wget {url}')",
      "import os\np = os.popen(cmd)",
      "import subprocess\nsubprocess.run(cmd, shell=True)",
      "import subprocess as sp\nsp.Popen(f'ls {d}', shell=True)",
      "from subprocess import check_output\ncheck_output(c, shell=True)",
      "import subprocess\nsubprocess.getoutput(cmd)",
      "import subprocess\nsubprocess.call(cmd, shell=1)",
      "import subprocess\nsubprocess.call(cmd, shell=[True])",
      "import subprocess\nsubprocess.call(cmd, shell='False')",
      "import subprocess\nsubprocess.call(cmd, shell={'IS': 'True'})",
      "import os\ngetattr(os, 'system')(cmd)",
      "__import__('os').system(cmd)",
      "m = __import__('os')\nm.popen(cmd)",
      "import asyncio\nloop.subprocess_shell(factory, cmd)",
      "import asyncio\nasyncio.subprocess.create_subprocess_shell(cmd)",
      "import paramiko\nc = paramiko.SSHClient()\nc.exec_command(user_cmd)",
      "from airflow.operators.bash import BashOperator\nt = BashOperator(task_id='t', bash_command=f'echo {msg}')",
      "from fabric import Connection\nc.run_cmd(f'deploy {target}', shell=True)",
      "def run(cmd):\n    return helpers.execute(cmd, shell=True)",
      "helpers.execute(cmd, shell=lambda: 0)",
      "import subprocess\nsubprocess.call(cmd, shell=(x for x in ()))",
      "import subprocess\nsubprocess.call(cmd, shell={**{'a': 1}})",
      "import os\nos.system('ls ' + ' '.join([base, user_dir]))",
    ],
    safe: [
      "import subprocess\nsubprocess.run(['ls', '-l', d])",
      "import subprocess\nsubprocess.run(['git', 'status'], check=True, shell=False)",
      "import os\nos.path.join(a, b)",
      "runner.system(cmd)",
      "import subprocess\nsubprocess.call(cmd, shell=[])",
      "import subprocess\nsubprocess.call(cmd, shell={})",
      "import subprocess\nsubprocess.call(cmd, shell=0)",
      "import subprocess\nsubprocess.call(cmd, shell='')",
      "import subprocess\nsubprocess.call(cmd, shell=None)",
      "import os\ngetattr(os, 'getcwd')()",
      "cursor.exec_command(cmd)",
      "from airflow.operators.bash import BashOperator\nt = BashOperator(task_id='t', bash_command='date')",
      "helpers.execute(cmd, shell=False)",
      "helpers.execute(cmd, shell={**{}})",
      "import subprocess\nsubprocess.call(cmd, shell=[*[]])",
      "opts = dict(shell=0)",
    ],
  },
  [CODE_RULES.tls.id]: {
    vulnerable: [
      // after the session-10 held-out run: TLS left at a library default that does not verify
      "import smtplib\nserver = smtplib.SMTP(host, 587)\nserver.starttls()",
      "import smtplib\nwith smtplib.SMTP(host, 587) as s:\n    s.starttls()",
      "import smtplib\ns = smtplib.SMTP_SSL('smtp.example.com', 465)",
      "import ftplib\nconn = ftplib.FTP_TLS(host, user, password)",
      "import imaplib\nm = imaplib.IMAP4_SSL(host)",
      // session 12 (tuned: after the precli run): nntplib has the same unverified default
      "import nntplib\ns = nntplib.NNTP_SSL('news.example.com')",
      "import nntplib\ns = nntplib.NNTP('news.example.com')\ns.starttls()",
      "import poplib\np = poplib.POP3(host)\np.stls()",
      "import smtplib\ns = smtplib.SMTP(h)\ns.starttls(context=None)",
      "from ldap3 import Server\nserver = Server(addr, port=636, use_ssl=True)",
      "import requests\nr = requests.get(url, verify=False)",
      "import httpx\nc = httpx.Client(verify=False)",
      "import requests\ns = requests.Session()\ns.verify = False",
      "import ssl\nctx = ssl._create_unverified_context()",
      "import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE",
      "session.post(url, json=body, verify=False)",
      "import ssl\nssl._create_default_https_context = ssl._create_unverified_context",
      "import urllib3\npool = urllib3.PoolManager(cert_reqs='CERT_NONE')",
      "import urllib3\npool = urllib3.connection_from_url(u, cert_reqs='NONE')",
      // Contexts followed by name: unverified unless verification is switched on below.
      "import ssl\nctx = ssl.SSLContext()\nsock = ctx.wrap_socket(s, server_hostname=h)",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\nctx.load_verify_locations(ca)",
      "import ssl\nself.ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv23)",
      "import ssl\nconn = http.client.HTTPSConnection(h, context=ssl.SSLContext())",
      "import ssl\nurllib.request.urlopen(u, context=ssl._create_unverified_context())",
      "import ssl\nctx = ssl._create_unverified_context()\nctx.load_default_certs()",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLSv1_2_METHOD)\nconn = SSL.Connection(ctx, sock)",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_verify(SSL.VERIFY_NONE, lambda *a: True)",
      "from OpenSSL import SSL\nconn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)",
      "import OpenSSL\nctx = OpenSSL.SSL.Context(OpenSSL.SSL.SSLv23_METHOD)\nctx.set_verify(OpenSSL.SSL.VERIFY_NONE, cb)",
      // ssl.CERT_NONE handed to anything: positional, any keyword, option dicts.
      "import ssl\ns = ssl.wrap_socket(sock, None, None, False, ssl.CERT_NONE)",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_verify(SSL.VERIFY_FAIL_IF_NO_PEER_CERT | SSL.VERIFY_NONE, cb)",
      "import ssl\nws.connect(url, sslopt={'cert_reqs': ssl.CERT_NONE})",
      "import ssl\nr = redis.Redis(host=h, ssl=True, ssl_cert_reqs=ssl.CERT_NONE)",
      "from ssl import CERT_NONE\nctx = create_urllib3_context()\nctx.cert_reqs = CERT_NONE",
    ],
    safe: [
      "import smtplib, ssl\nserver = smtplib.SMTP(host, 587)\nserver.starttls(context=ssl.create_default_context())",
      "import smtplib, ssl\ns = smtplib.SMTP_SSL('smtp.example.com', 465, context=ssl.create_default_context())",
      "import ftplib\nconn = ftplib.FTP_TLS(host, user, password, context=ctx)",
      "import imaplib\nm = imaplib.IMAP4_SSL(host, ssl_context=ctx)",
      "import nntplib, ssl\ns = nntplib.NNTP_SSL('news.example.com', ssl_context=ssl.create_default_context())",
      "import nntplib, ssl\ns = nntplib.NNTP('news.example.com')\ns.starttls(ssl.create_default_context())",
      "import smtplib\nserver = smtplib.SMTP('localhost')\nserver.send_message(msg)",
      "from ldap3 import Server, Tls\nimport ssl\nserver = Server(addr, use_ssl=True, tls=Tls(validate=ssl.CERT_REQUIRED))",
      "from ldap3 import Server\nserver = Server(addr)",
      "def starttls():\n    pass\nstarttls()",
      "import requests\nr = requests.get(url, verify=True)",
      "import requests\nr = requests.get(url, verify='/etc/ssl/ca.pem')",
      "parser.add_argument('--verify', default=False)",
      "cfg.update(verify=False)",
      "import urllib3\npool = urllib3.PoolManager(cert_reqs='CERT_REQUIRED')",
      "import ssl\nssl._create_default_https_context = ssl.create_default_context",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
      "import ssl\nctx = ssl.SSLContext(protocol=ssl.PROTOCOL_TLS_CLIENT)\nctx.load_verify_locations(ca)",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\nctx.verify_mode = ssl.CERT_REQUIRED\nctx.check_hostname = True",
      "import ssl\nctx = ssl.SSLContext()\nctx.check_hostname = True",
      "import ssl\nctx = ssl._create_unverified_context()\nctx.verify_mode = ssl.CERT_REQUIRED",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\nctx.load_cert_chain('server.pem')",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\nwrapped = ctx.wrap_socket(sock, server_side=True)",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, cb)",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.use_certificate_file('cert.pem')\nctx.use_privatekey_file('key.pem')",
      "import ssl\nif ctx.verify_mode == ssl.CERT_NONE:\n    warn()",
      "import ssl\nmodes = {ssl.CERT_NONE: 'none'}",
      "ctx = decimal.Context(prec=4)",
      "import ssl\nctx = ssl.create_default_context()",
    ],
  },
  [CODE_RULES.decompressionBomb.id]: {
    vulnerable: [
      "import zipfile\nfrom flask import request\ndef up():\n    with zipfile.ZipFile(request.files['f']) as z:\n        z.extractall('/srv/in')",
      "import shutil\ndef unpack(archive, dest):\n    shutil.unpack_archive(archive, dest, filter='data')",
    ],
    safe: [
      "import zipfile\nwith zipfile.ZipFile('assets/bundle.zip') as z:\n    z.extractall('out')",
      "import zipfile\ndef unpack(path, dest):\n    with zipfile.ZipFile(path) as z:\n        if sum(i.file_size for i in z.infolist()) > 10**9:\n            raise ValueError('too big')\n        z.extractall(dest)",
    ],
  },
  [CODE_RULES.errorExposure.id]: {
    vulnerable: [
      "import traceback\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/r')\ndef r():\n    try:\n        work()\n    except Exception:\n        return traceback.format_exc(), 500",
    ],
    safe: [
      "import traceback, logging\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/r')\ndef r():\n    try:\n        work()\n    except Exception:\n        logging.error(traceback.format_exc())\n        return 'internal error', 500",
      "import traceback\ndef report():\n    try:\n        work()\n    except Exception:\n        return traceback.format_exc()",
    ],
  },
  [CODE_RULES.argumentInjection.id]: {
    vulnerable: ["import subprocess\nfrom flask import request\ndef clone():\n    subprocess.run(['git', 'clone', request.args['url']])"],
    safe: [
      "import subprocess\nfrom flask import request\ndef clone():\n    subprocess.run(['git', 'clone', '--', request.args['url']])",
      "import subprocess\nsubprocess.run(['git', 'clone', 'https://example.org/x.git'])",
    ],
  },
  // Session 25: web sinks (more cases in session25-web.test.ts)
  [CODE_RULES.openRedirect.id]: {
    vulnerable: ["from flask import Flask, request, redirect\napp = Flask(__name__)\n@app.route('/go')\ndef go():\n    return redirect(request.args['next'])"],
    safe: ["from flask import Flask, request, redirect, url_for\napp = Flask(__name__)\n@app.route('/go')\ndef go():\n    return redirect(url_for('index'))"],
  },
  [CODE_RULES.ssrf.id]: {
    vulnerable: ["import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/f')\ndef f():\n    return requests.get(request.args['url']).text"],
    safe: [
      "import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/f')\ndef f():\n    return requests.get('https://api.example.com/s', params={'q': request.args['q']}).text",
    ],
  },
  [CODE_RULES.xss.id]: {
    vulnerable: ["from flask import Flask, request\napp = Flask(__name__)\n@app.route('/hi')\ndef hi():\n    return '<h1>' + request.args['n'] + '</h1>'"],
    safe: ["from flask import Flask, request, escape\napp = Flask(__name__)\n@app.route('/hi')\ndef hi():\n    return '<h1>' + escape(request.args['n']) + '</h1>'"],
  },
  [CODE_RULES.ldapInjection.id]: {
    vulnerable: ["import ldap3\nfrom flask import request\ndef find(conn):\n    conn.search('dc=x', '(uid=' + request.args['u'] + ')')"],
    safe: [
      "import ldap3\nfrom ldap3.utils.conv import escape_filter_chars\nfrom flask import request\ndef find(conn):\n    conn.search('dc=x', '(uid=' + escape_filter_chars(request.args['u']) + ')')",
    ],
  },
  [CODE_RULES.xpathInjection.id]: {
    vulnerable: ["from lxml import etree\nfrom flask import request\ndef find(tree):\n    return tree.xpath(\"//u[@n='\" + request.args['n'] + \"']\")"],
    safe: ["from lxml import etree\nfrom flask import request\ndef find(tree):\n    return tree.xpath('//u[@n=$n]', n=request.args['n'])"],
  },
  [CODE_RULES.insecureCookie.id]: {
    vulnerable: ["from flask import make_response\ndef set_it():\n    r = make_response('ok')\n    r.set_cookie('pref', 'x', secure=False)\n    return r"],
    safe: ["from flask import make_response\ndef set_it():\n    r = make_response('ok')\n    r.set_cookie('session', 'x', secure=True, httponly=True)\n    return r"],
  },
  [CODE_RULES.archive.id]: {
    vulnerable: [
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(out)",
      "import tarfile\nt = tarfile.open(p)\nt.extractall()",
      "import tarfile\ntarfile.open(p).extractall(d)",
      "import tarfile\nt = tarfile.open(p)\nt.extractall(d, filter='fully_trusted')",
      "import shutil\nshutil.unpack_archive(f, d)",
      "import tarfile\nwith tarfile.open(p) as tar:\n    for m in tar.getmembers():\n        tar.extract(m, out)",
      // Session 9: member lists that are not vetted, the private extraction step, zip slip by hand.
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(d, members=None)",
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(d, members=tar)",
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(d, members=tar.getmembers())",
      "import tarfile\ntar = tarfile.open(p)\nresult = []\nfor m in tar:\n    if '..' in m.name:\n        raise ValueError(m.name)\n    result.append(m)\ntar.extractall(d, members=result)",
      "import tarfile\ndef keep(t):\n    out = []\n    for m in t:\n        if '../' in m.name or m.issym():\n            continue\n        out.append(m)\n    return out\nt = tarfile.open(p)\nt.extractall(d, members=keep(t))",
      "import tarfile\nt = tarfile.open(p)\nfor f in t.getmembers():\n    if not f.issym():\n        t.extractall(d, members=[f])",
      "import tarfile\nwith tarfile.open(p) as tar:\n    for m in tar:\n        tar._extract_member(m, m.name)",
      "import zipfile, os, shutil\nzf = zipfile.ZipFile(p)\nfor name in zf.namelist():\n    with zf.open(name) as src, open(os.path.join(dest, name), 'wb') as out:\n        shutil.copyfileobj(src, out)",
      "import zipfile, os\nzf = zipfile.ZipFile(p)\nfor info in zf.infolist():\n    target = os.path.join(dest, info.filename)\n    with open(target, 'wb') as out:\n        out.write(zf.read(info))",
      "import tarfile, os\nwith tarfile.open(p) as tar:\n    for m in tar.getmembers():\n        with open(os.path.join(dest, m.name), 'wb') as out:\n            out.write(tar.extractfile(m).read())",
      "import zipfile, shutil\nzf = zipfile.ZipFile(p)\nnames = zf.namelist()\nfor x in names:\n    shutil.copy(x, '/tmp/unpack/')",
      "import zipfile\nfrom pathlib import Path\nz = zipfile.ZipFile(p)\nfor n in z.namelist():\n    Path(dest, n).write_bytes(z.read(n))",
    ],
    safe: [
      // Session 9 decision: zipfile drops `..`, drive and leading-slash parts itself, so extract is not CWE-22.
      "import zipfile\nz = zipfile.ZipFile(p)\nz.extract(name, out)",
      "import zipfile\nwith zipfile.ZipFile(p) as z:\n    z.extract(member)",
      "import zipfile\nwith zipfile.ZipFile(p) as z:\n    z.extractall(out)",
      // Member lists that reject absolute names (or check containment) and links, or use tarfile's own filter.
      "import tarfile, os\ndef keep(t, d):\n    for m in t.getmembers():\n        p = os.path.realpath(os.path.join(d, m.name))\n        if p.startswith(os.path.realpath(d) + os.sep) and not (m.issym() or m.islnk()):\n            yield m\nt = tarfile.open(p)\nt.extractall(d, members=keep(t, d))",
      "import tarfile, os\nt = tarfile.open(p)\nok = [m for m in t.getmembers() if m.isfile() and not os.path.isabs(m.name) and '..' not in m.name]\nt.extractall(d, members=ok)",
      "import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=[tarfile.data_filter(m, d) for m in t.getmembers()])",
      "import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=[])",
      "import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=['config.json', 'weights.bin'])",
      // Copies by hand that check where each name lands, or keep only its last part; reading members is fine.
      "import zipfile, os, shutil\nzf = zipfile.ZipFile(p)\nfor name in zf.namelist():\n    target = os.path.realpath(os.path.join(dest, name))\n    if not target.startswith(os.path.realpath(dest) + os.sep):\n        raise ValueError(name)\n    with zf.open(name) as src, open(target, 'wb') as out:\n        shutil.copyfileobj(src, out)",
      "import zipfile, os\nzf = zipfile.ZipFile(p)\nfor name in zf.namelist():\n    with open(os.path.join(dest, os.path.basename(name)), 'wb') as out:\n        out.write(zf.read(name))",
      "import zipfile, os\nzf = zipfile.ZipFile(p)\nfor name in zf.namelist():\n    print(name, zf.getinfo(name).file_size)\n    with open(os.path.join(src, 'index.txt'), 'a') as log:\n        log.write('seen')",
      "import zipfile, os\nzf = zipfile.ZipFile(p)\nfor name in zf.namelist():\n    with open(os.path.join(src, name)) as fh:\n        check(fh.read())",
      "import inspect, os\nfor name, _ in inspect.getmembers(mod):\n    open(os.path.join(d, name), 'w').write('x')",
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall(out, filter='data')",
      "import tarfile\nwith tarfile.open(p) as tar:\n    tar.extract(m, out, filter='data')",
      "import re\nm = pattern.extract(text)",
      "import zipfile\nz = zipfile.ZipFile(p)\ndata = z.read(name)",
      "import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=safe_members(t))",
      "import shutil\nshutil.unpack_archive(f, d, filter='data')",
    ],
  },
  [CODE_RULES.credential.id]: {
    vulnerable: [
      "DB_PASSWORD_HASH = 'password123'", // session 16: a hash-named credential holding the plain password
      "admin_pw_hashed = 'Summer2024!'", // session 16
      "API_KEY = '48213970561283740915'", // session 13: a numeric key (16+ digits)
      `DB_PASSWORD = '${rev("x3&rod4bu0rT")}'`,
      `conn = psycopg2.connect(host='db', user='app', password='${rev("99ssaP!eruc3S")}')`,
      `config = {'api_key': '${rev("z6Wt4Rp7Vx2Qm9Lk3F8a")}'}`,
      `self.client_secret = '${rev("nB4yW7tR3pK9mV2xL8qZ")}'`,
      `def connect(host, password='${rev("99ssaP!eruc3S")}'):\n    pass`,
      `def connect(host: str, api_key: str = '${rev("z6Wt4Rp7Vx2Qm9Lk3F8a")}'):\n    pass`,
      // Weak passwords are still credentials in the source (Bandit B105/B106/B107), reported at medium.
      "password = 'blerg'",
      "class Settings:\n    password = 'class_password'",
      "def login(user, password='Admin'):\n    pass",
      "def check(password):\n    if password == 'root':\n        return True",
      "if obj.password != 'this cool password':\n    deny()",
      "login(password='blerg')",
      "cfg['password'] = 'blerg'",
      "EMAIL_PASSWORD = 'secret'",
      "email_pwd = 'emails_secret'",
      "my_secret_password_for_email = 'd6s$f9g!j8mg7hw?n&2'",
      "passphrase = '1234'",
      "log({'server': server, 'password': 'pass', 'user': user})",
      "app.config['SECRET_KEY'] = 'dev'",
      `client = boto3.client('s3', aws_access_key_id='${rev("Q7ZPL3MK2WX9RT4VB8NA")}')`,
      "import jwt\ntok = jwt.encode({'sub': 1}, 'secret', algorithm='HS256')",
      "import jwt\nclaims = jwt.decode(tok, key='s3cr3t-signing', algorithms=['HS256'])",
      // Fallbacks of environment lookups, positional and DSN passwords.
      "import os\npw = os.getenv('DB_PASSWORD', 'hunter2')",
      "import os\npw = os.environ.get('SMTP_PASSWORD', 'mailpass')",
      "import os\nos.environ.setdefault('API_SECRET', 'dev-secret-value')",
      "import os\nkey = os.getenv('SECRET_KEY', default='not-so-secret-after-all')",
      "secret = settings.get('CLIENT_SECRET', 'x9Kq2mP4vT7wR1zN')",
      "import MySQLdb\ndb = MySQLdb.connect('localhost', 'root', 'toor', 'app')",
      "import pymysql\ndb = pymysql.connect('localhost', 'root', 'Azerty123')",
      "import redis\nr = redis.Redis('localhost', 6379, 0, 'Azerty123')",
      "import redis as rd\nr = rd.StrictRedis('h', 6379, 0, 'Azerty123')",
      "import cx_Oracle\nc = cx_Oracle.connect('scott', 'tiger', 'db/orcl')",
      "import psycopg2\nc = psycopg2.connect('dbname=app user=app password=s3cret host=db')",
      "import pyodbc\nc = pyodbc.connect('DRIVER={SQL Server};SERVER=s;UID=sa;PWD=Passw0rd;')",
      "import sqlalchemy\ne = sqlalchemy.create_engine('postgresql://app:s3cret@db/app')",
      "import redis\nr = redis.from_url('redis://:Azerty123@cache:6379/0')",
      "import smtplib\ns = smtplib.SMTP(h)\ns.login('me@example.com', 'mailpass')",
      "import ftplib\nf = ftplib.FTP('ftp.example.com', 'anon', 'ftppass')",
      "import ldap\nl = ldap.initialize(u)\nl.simple_bind_s('cn=admin,dc=example,dc=com', 'ldappass')",
      "import paramiko\nc = paramiko.SSHClient()\nc.connect('host', 22, 'root', 'sshpass')",
      "import requests\nr = requests.get(u, auth=('admin', 'adminpw'))",
      "from requests.auth import HTTPBasicAuth\nr = requests.get(u, auth=HTTPBasicAuth('admin', 'adminpw'))",
      // A literal under a neutral name, then handed to a credential's place; tuple assignments.
      "KEY = 'dev-key-1234'\napp.config['SECRET_KEY'] = KEY",
      "DEFAULT = 'hunter22'\napp.secret_key = DEFAULT",
      "DEFAULT = 'hunter22'\nconn = connect(host=h, password=DEFAULT)",
      "user, password = 'admin', 's3cretpw'",
      "body = 'user=admin&password=Azerty123'",
      "url = 'https://user:azerty123@example.com/path'",
      "import pgdb\nc = pgdb.connect('localhost', 'postgres', 'Azerty123')",
      "import pg\ndb = pg.DB(None, 'localhost', 5432, None, 'postgres', 'Azerty123')",
    ],
    safe: [
      "DB_PASSWORD_HASH = '5f4dcc3b5aa765d61d8327deb882cf99'", // session 16: a hash-named value that is a digest
      "ADMIN_PASSWORD_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO5nQWdTo9Vz3q0Z0w6w8xT8y8nE1Pq1a'", // session 16: bcrypt
      "password_hash = 'pbkdf2_sha256$260000$abc$def'", // session 16: Django's format
      "TOKEN_HASH = 'letmein1'", // session 16: only a password's hash name holds a password
      "app.config['SECURITY_PASSWORD_HASH'] = 'sha512_crypt'", // session 16: a hashing scheme's name
      // session 13: digits only, but short, a count or an id
      "api_key = '1234'",
      "max_tokens = '12345678901234567890'",
      "api_key_id = '12345678901234567890'",
      "token = '2024'",
      "import os\nDB_PASSWORD = os.environ['DB_PASSWORD']",
      "tokenizer.pad_token = '<pad>'",
      "eos_token = '</s>'",
      "max_tokens = 512",
      "password = ''",
      "password = getpass.getpass()",
      "api_key = 'your-api-key'",
      "token_type = 'bearer_access_token_value'",
      "def connect(host, password=None, token=''):\n    pass",
      "if password == '':\n    deny()",
      "log({'server': server, 'password': password})",
      "import os\npw = os.getenv('DB_PASSWORD')",
      "KEY = os.environ['KEY']\napp.config['SECRET_KEY'] = KEY",
      "KEY = 'dev'\nKEY = load_key()\napp.secret_key = KEY",
      "user, password = read_credentials()",
      "user, password = 'admin', ''",
      "url = 'https://example.com/?page=2&sort=name'",
      "body = 'user=admin&password=' + os.environ['PW']",
      "url = 'https://user@example.com/path'",
      "import pg\ndb = pg.DB(None, 'localhost', 5432, None, 'postgres', pwd)",
      "import os\npw = os.environ.get('DB_PASSWORD', '')",
      "import os\nname = os.getenv('MODEL_NAME', 'gpt2')",
      "import os\npw = os.getenv('DB_PASSWORD', default_pw)",
      "import os\ntok = os.environ.get('HF_TOKEN', 'your-token-here')",
      "x = cfg.get('password', None)",
      "import MySQLdb\ndb = MySQLdb.connect(host, user, password, name)",
      "import MySQLdb\ndb = MySQLdb.connect(host='h', user='u', passwd=os.environ['PW'])",
      "import redis\nr = redis.Redis('localhost', 6379, 0)",
      "import psycopg2\nc = psycopg2.connect('dbname=app user=app host=db')",
      "import psycopg2\nc = psycopg2.connect(f'dbname=app password={pw}')",
      "import sqlalchemy\ne = sqlalchemy.create_engine('sqlite:///app.db')",
      "import sqlalchemy\ne = sqlalchemy.create_engine('postgresql://app@db/app')",
      "import sqlite3\nc = sqlite3.connect('app.db')",
      "import smtplib\ns = smtplib.SMTP(h)\ns.login(user, password)",
      "import requests\nr = requests.get(u, auth=(user, pw))",
      "import requests\nr = requests.get('https://example.com/api', params)",
      "PASSWORD_FIELD = 'password'",
      "PASSWORD = 'password'",
      "password_prompt = 'Enter your password:'",
      "password = 'DB_PASSWORD'",
      "password = '********'",
      "password = '<your password>'",
      "secret_env = 'prod-secret-value'",
      "from sklearn.feature_extraction.text import CountVectorizer\nv = CountVectorizer(token_pattern=r'(?u)\\b\\w\\w+\\b')",
      "tokenizer.eos_token = '</s>'",
      "tok = AutoTokenizer.from_pretrained(p, revision=REV, pad_token='[PAD]', unk_token='<unk>', sep_token='</s>')",
      "num_tokens = 'many'",
      "is_secret = 'yes'",
      "password_hash = 'pbkdf2:sha256:260000$x$y'",
      "if token == 'Bearer':\n    pass",
      // Look-alikes found in Debian's Python packages (stdlib, pip, git, scipy, pygments).
      "if token == 'lambda':\n    pass",
      "import jwt\ntok = jwt.encode({'sub': 1}, key, algorithm='HS256')",
      "s = 'text'.encode('utf-8')",
      "DONE_TOKEN = 'done.'",
      "ok = user_pass == 'git'",
      "password = ':****'",
      "kinds = {'pass': 'bandpass', 'stop': 'bandstop'}",
      "config = {'MODULE_PWD_STATE': 'yes'}",
      "passwd = ''\npasswd = passwd + 'anonymous@'",
    ],
  },
  [CODE_RULES.cryptoKey.id]: {
    // session 16: a key written in the source given to a cipher (CWE-321)
    vulnerable: [
      "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\naes = AESGCM(b'0123456789abcdef0123456789abcdef')",
      "from cryptography.fernet import Fernet\nf = Fernet('a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=')",
      "from Crypto.Cipher import AES\nc = AES.new(b'sixteen byte key', AES.MODE_GCM)",
      "from Cryptodome.Cipher import ChaCha20\nc = ChaCha20.new(key=b'0123456789abcdef0123456789abcdef', nonce=n)",
      "from Crypto.Cipher import AES\nKEY = 'abcdefabcdefabcd'.encode()\nc = AES.new(KEY, AES.MODE_EAX)",
      "import binascii\nfrom Crypto.Cipher import AES\nc = AES.new(binascii.unhexlify('00112233445566778899aabbccddeeff'), AES.MODE_CBC, iv)",
      "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nc = Cipher(algorithms.AES(b'0123456789abcdef'), modes.GCM(iv))",
    ],
    safe: [
      "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\naes = AESGCM(AESGCM.generate_key(bit_length=128))",
      "import os\nfrom cryptography.fernet import Fernet\nf = Fernet(os.environ['FERNET_KEY'])",
      "from cryptography.fernet import Fernet\nf = Fernet(Fernet.generate_key())",
      "import os\nfrom Crypto.Cipher import AES\nc = AES.new(os.urandom(32), AES.MODE_GCM)",
      "from Crypto.Cipher import AES\ndef enc(key, data):\n    return AES.new(key, AES.MODE_GCM).encrypt(data)",
      "import hashlib\nfrom Crypto.Cipher import AES\nc = AES.new(hashlib.sha256(secret).digest(), AES.MODE_GCM)",
      "class Store:\n    def new(self, key):\n        return key\nStore().new('abc')",
    ],
  },
  [CODE_RULES.loggingListen.id]: {
    // session 16: the listener applies any configuration it receives (CWE-94)
    vulnerable: [
      "import logging.config\nt = logging.config.listen(9999)\nt.start()",
      "from logging import config\nconfig.listen()",
      "import logging.config\nlogging.config.listen(9999, verify=None)",
      "import logging.config\nverify = None\nlogging.config.listen(port=1111, verify=verify)",
      "import logging.config, threading\nthreading.Thread(target=logging.config.listen, args=(9000,), daemon=True).start()",
      "import logging.config\nfrom concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor().submit(logging.config.listen, 9000)",
    ],
    safe: [
      "import logging.config\nt = logging.config.listen(9999, verify=check_signature)",
      "import socket\ns = socket.socket()\ns.listen(5)",
      "import logging.config\nlogging.config.dictConfig({'version': 1})",
      "import logging.config, threading\nthreading.Thread(target=logging.config.listen, kwargs={'port': 9000, 'verify': check}).start()",
      "import threading\nthreading.Thread(target=server.listen, args=(9000,)).start()",
    ],
  },
  [CODE_RULES.unpinned.id]: {
    vulnerable: [
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('bert-base-uncased')",
      "from transformers import AutoTokenizer\nt = AutoTokenizer.from_pretrained(model_name)",
      "from huggingface_hub import hf_hub_download\np = hf_hub_download(repo_id='org/m', filename='model.safetensors')",
      "from huggingface_hub import snapshot_download\nsnapshot_download('org/m')",
      "from datasets import load_dataset\nds = load_dataset('imdb')",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='main')",
      "from transformers import pipeline\nclf = pipeline('text-classification', model='org/sentiment')",
      "import torch\nm = torch.hub.load('pytorch/vision', 'resnet50', pretrained=True)",
      "from sentence_transformers import SentenceTransformer\nenc = SentenceTransformer('all-MiniLM-L6-v2')",
      // Tags and branches can be moved by the repository owner: only a commit sha pins.
      "from huggingface_hub import hf_hub_download\np = hf_hub_download('org/m', 'cfg.json', revision='v1.2.0')",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='refs/pr/1')",
      "from transformers import pipeline\nclf = pipeline('text-classification', model='org/sentiment', revision='main')",
      "from datasets import load_dataset\nds = load_dataset('org/d', revision='0123456')",
      "import torch\nm = torch.hub.load('pytorch/vision:v0.10.0', 'resnet50')",
    ],
    safe: [
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='0123456789abcdef0123456789abcdef01234567')",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained('./checkpoints/best')",
      "from transformers import AutoModel\nm = AutoModel.from_pretrained(output_dir)",
      "from datasets import load_dataset\nds = load_dataset('csv', data_files='train.csv')",
      "from huggingface_hub import hf_hub_download\np = hf_hub_download('org/m', 'cfg.json', revision=pinned_sha)",
      "from transformers import pipeline\nclf = pipeline('text-classification', model='org/sentiment', revision='0123456789abcdef0123456789abcdef01234567')",
      "import torch\nm = torch.hub.load('pytorch/vision:0123456789abcdef0123456789abcdef01234567', 'resnet50')",
      "import torch\nm = torch.hub.load('./hub', 'mymodel', source='local')",
    ],
  },
  [CODE_RULES.debug.id]: {
    vulnerable: [
      'import socket\ndef start_server(host="0.0.0.0", port=8080):\n    s = socket.socket()\n    s.bind((host, port))', // session 16: a default parameter reaches the bind
      'from flask import Flask\napp = Flask(__name__)\ndef main(host: str = "0.0.0.0"):\n    app.run(host=host)', // session 16: typed default
      "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)",
      "app.run(host='0.0.0.0', port=8080)",
      "import gradio as gr\ndemo.launch(share=True)",
      "demo.launch(server_name='0.0.0.0')",
      "app.run('0.0.0.0')",
      "import socket\ns = socket.socket()\ns.bind(('0.0.0.0', 8080))",
      "import socket\ns = socket.socket()\ns.bind(('', 8080))",
      "app.config['DEBUG'] = True",
      "app.config.update(DEBUG=True)",
      "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('tools', host='0.0.0.0')",
      "mcp.settings.host = '0.0.0.0'",
      "HOST = '0.0.0.0'\napp.run(host=HOST)",
      "from flask_graphql import GraphQLView\napp.add_url_rule('/g', view_func=GraphQLView.as_view('g', schema=schema, graphiql=True))",
      "from graphql_server.flask import GraphQLView\nview = GraphQLView(schema=schema, graphiql=True)",
    ],
    safe: [
      'import socket\ndef serve(host="127.0.0.1", port=80):\n    s = socket.socket()\n    s.bind((host, port))', // session 16: a loopback default
      'import socket\ndef serve(host="0.0.0.0"):\n    host = "127.0.0.1"\n    socket.socket().bind((host, 80))', // session 16: the default is replaced before the bind
      'import socket\ndef serve(host=None):\n    socket.socket().bind((host or "localhost", 80))', // session 16
      "app.run()",
      "app.run(host='127.0.0.1', debug=False)",
      "import asyncio\nasyncio.run(main(), debug=True)",
      "demo.launch()",
      "import subprocess\nsubprocess.run(['ls'])",
      "run(debug=True)",
      "def run(debug=False):\n    pass\nrun(debug=True)",
      "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 8080))",
      "widget.bind('<Key>', handler)",
      "from flask_graphql import GraphQLView\napp.add_url_rule('/g', view_func=GraphQLView.as_view('g', schema=schema, graphiql=False))",
      "from flask_graphql import GraphQLView\napp.add_url_rule('/g', view_func=GraphQLView.as_view('g', schema=schema))",
      "render(template, graphiql=True)",
      "app.config['DEBUG'] = False",
      "mcp = FastMCP('tools', host='127.0.0.1')",
      "settings.host = 'localhost'",
      "ALLOWED = '0.0.0.0'",
      "parser.add_argument('--host', default='127.0.0.1')",
      "settings['DEBUG'] = True",
      "app.run('127.0.0.1')",
    ],
  },
  [CODE_RULES.tlsWeakProtocol.id]: {
    // session 13: the four versions CPython, RFC 8996, precli PY018 and Bandit B502–B504 call weak
    vulnerable: [
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)",
      "import ssl\ns = ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)",
      "import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1",
      "from OpenSSL import SSL\nctx = SSL.Context(SSL.TLSv1_1_METHOD)\nctx.set_verify(SSL.VERIFY_PEER, cb)",
    ],
    safe: [
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
      "import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2",
      "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\nctx.maximum_version = ssl.TLSVersion.TLSv1_3",
      "import ssl\nctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1",
    ],
  },
  [CODE_RULES.pathTraversal.id]: {
    vulnerable: [
      "from flask import request, send_file\ndef f():\n    return send_file(request.args['name'])",
      "from flask import request\nimport os\ndef f():\n    name = request.args.get('n')\n    with open(os.path.join('/data', name)) as fh:\n        return fh.read()",
      "import flask, os\ndef f():\n    p = flask.request.form['p']\n    os.remove(p)",
      "import flask\ndef f(c):\n    path = c.choices[0].message.content\n    return open(path).read()",
      "from fastapi import FastAPI\nfrom fastapi.responses import FileResponse\nfrom pathlib import Path\ndef f(request):\n    return Path(request.query_params['p']).read_text()",
    ],
    safe: [
      "from flask import request\nimport os\ndef f():\n    name = os.path.basename(request.args['n'])\n    return open(os.path.join('/data', name)).read()",
      "from flask import request\nfrom werkzeug.utils import secure_filename\ndef f():\n    return open(secure_filename(request.args['n'])).read()",
      "from flask import request, abort\nimport os\nBASE = '/data'\ndef f():\n    p = os.path.realpath(os.path.join(BASE, request.args['n']))\n    if not p.startswith(BASE + os.sep):\n        abort(404)\n    return open(p).read()",
      "import sys\nprint(open(sys.argv[1]).read())",
      "from flask import request, send_from_directory\ndef f():\n    return send_from_directory('/data', request.args['n'])",
      "from flask import request\ndef f():\n    return open('/data/index.html').read()",
      "from flask import request, abort\ndef f():\n    name = request.args['n']\n    if '..' in name:\n        abort(400)\n    path = f'/data/{name}'\n    return open(path).read()",
    ],
  },
  [CODE_RULES.sql.id]: {
    vulnerable: [
      "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
      "cur.execute('SELECT * FROM users WHERE id = %s' % uid)",
      "cur.execute('DELETE FROM t WHERE id = ' + str(i))",
      "q = 'SELECT a FROM t WHERE b = {}'.format(b)\ncursor.execute(q)",
      "import pandas as pd\ndf = pd.read_sql(f'SELECT * FROM {table} WHERE x = 1', conn)",
      "cur.execute(\"SELECT * FROM foo WHERE id = '[VALUE]'\".replace('[VALUE]', identifier))",
      "q = \"DELETE FROM foo WHERE id = '[V]'\".replace('[V]', ident)\ncur.execute(q)",
      "q = 'SELECT * FROM t WHERE id = '\nq += uid\ncur.execute(q)",
      "cur.execute('UPDATE t SET a = 1 WHERE id = {}'.format(i))",
      "rows = await conn.fetch(f'SELECT * FROM users WHERE name = {name}')",
      "conn.run('SELECT * FROM t WHERE id = %s' % (uid))",
      "from django.db.models.expressions import RawSQL\nqs.annotate(v=RawSQL('SELECT a FROM t WHERE b = ' + x, ()))",
      "q = 'SELECT * FROM users WHERE name = '\nq = q + name\ncur.execute(q)",
      "base = 'SELECT * FROM t WHERE a = {}'\ncur.execute(base.format(a))",
      "base = 'SELECT * FROM t WHERE a = %s'\ncur.execute(base % a)",
      "cur.execute(' '.join(['SELECT * FROM t WHERE id =', uid]))",
      "User.objects.extra(where=[\"name = '%s'\" % name])",
      "User.objects.extra(select={'n': f'SELECT count(*) FROM t WHERE x = {x}'})",
      "from flask import request\nq = request.args.get('q')\ncur.execute(q)",
      "import sqlite3\nconn = sqlite3.connect('x.db')\nsql = resp.choices[0].message.content\nconn.execute(sql)",
      "import pandas as pd\nquery = llm.invoke(prompt).content\ndf = pd.read_sql(query, engine)",
      "import sys\nstmt = sys.argv[1].strip()\ndb.session.execute(stmt)",
      // built but not executed in this file (Bandit B608's place): reported where built
      "query = 'SELECT %s FROM table' % (var,)",
      "def q(name):\n    return f\"SELECT * FROM users WHERE name = '{name}'\"",
      "sql = 'INSERT INTO t (a) VALUES (' + a + ')'",
      "stmt = 'UPDATE t SET a = {} WHERE id = {}'.format(a, i)",
      "q = 'DELETE FROM t WHERE id = '\nq += uid",
      "run_query(\"select name from t where id = '%s'\" % uid)",
      "q = 'UPDATE ' + table + ' SET var = ' + var",
      "q = 'REPLACE INTO t VALUES (%s)' % (v,)",
      "q = 'INSERT t VALUES (%s)' % (v,)",
      // session 12: DDL on other objects, SQLite's PRAGMA and MySQL's SHOW take identifiers from the text
      "cur.execute('DROP TRIGGER %s ON %s;' % (trigger, table))",
      "cur.execute('CREATE INDEX idx ON ' + table + ' (a)')",
      'cur.execute("PRAGMA table_info(%s)" % table)',
      "cur.execute(f'SHOW COLUMNS FROM {table}')",
      "cur.execute('TRUNCATE TABLE ' + table)",
    ],
    safe: [
      "cur.execute('SELECT * FROM users WHERE name = %s', (name,))",
      "cur.execute('SELECT * FROM users WHERE name = ?', [name])",
      "q = 'SELECT 1'\ncur.execute(q)",
      "log.info(f'SELECT took {ms} ms')",
      "cur.execute(query, params)",
      "cur.execute(\"SELECT * FROM foo WHERE id = '%s'\" % ('something',))",
      "cur.execute('SELECT {} FROM foo WHERE id = 1'.format('name'))",
      "cur.execute(\"SELECT * FROM foo WHERE id = '[V]'\".replace('[V]', '1'))",
      "cur.execute(f'SELECT * FROM t LIMIT {int(n)}')",
      "cur.execute('SELECT * FROM t WHERE id = %d' % uid)",
      "cur.execute('SELECT * FROM t WHERE id = ' + str(int(uid)))",
      "cur.execute('SELECT * FROM t WHERE id = %s' % len(items))",
      "cur.execute(' '.join(['SELECT * FROM t', 'WHERE id = 1']))",
      // session 12 look-alikes: constant statements, numeric formats, and prose that starts with the same words
      "cur.execute('PRAGMA table_info(users)')",
      "cur.execute('SHOW TABLES')",
      "cur.execute('DROP INDEX IF EXISTS idx_%d' % n)",
      "msg = 'Show ' + name + ' in the list'",
      "title = 'Create a view for ' + user",
      "label = 'Pragma: ' + value",
      "User.objects.extra(where=['name = %s'], params=[name])",
      "from flask import request\nuid = int(request.args.get('id'))\ncur.execute(uid)",
      "from flask import request\njob = request.json\nexecutor.execute(job)",
      "q = build_query(opts)\ncur.execute(q)",
      "from flask import request\nq = request.args.get('q')\nq = 'SELECT 1'\ncur.execute(q)",
      "q = 'SELECT a FROM t'\nq += ' WHERE b = 1'\ncur.execute(q)",
      "rows = await conn.fetch('SELECT * FROM users WHERE name = $1', name)",
      "data = await client.fetch(f'https://api/{path}')",
      "conn.run('SELECT * FROM t WHERE id = :id', id=uid)",
      // built-SQL look-alikes: placeholders, driver quoting, messages and prose, constant pieces
      "q = 'SELECT * FROM t WHERE id IN (%s)' % ','.join(['%s'] * len(ids))",
      "q = 'SELECT * FROM t WHERE id IN ({})'.format(', '.join('?' for _ in ids))",
      "q = 'SELECT * FROM ' + conn.escape_string(table)",
      "log.info(f'SELECT * FROM t WHERE x = {x}')",
      "print('select a from b where c = %s' % c)",
      "raise ValueError('DELETE FROM %s failed' % table)",
      "msg = f'Select a file from the list: {files}'",
      "q = 'SELECT * FROM %s' % 'users'",
      "title = f'Update {name}: set to {value}'",
      "f'SELECT * FROM {t}'",
      "msg = 'Replace %s with values (%s)' % (a, b)",
    ],
  },
  // session 25 (more cases in session25-crypto.test.ts)
  [CODE_RULES.xmlEntities.id]: {
    vulnerable: [
      "from lxml import etree\nfrom flask import request\ndef f():\n    return etree.fromstring(request.data, etree.XMLParser(resolve_entities=True))",
      "import xml.sax\nfrom xml.dom import minidom\nfrom flask import request\ndef f():\n    p = xml.sax.make_parser()\n    p.setFeature(xml.sax.handler.feature_external_ges, True)\n    return minidom.parseString(request.data, p)",
    ],
    safe: [
      "import defusedxml.ElementTree as ET\nfrom flask import request\ndef f():\n    return ET.fromstring(request.data)",
      "import xml.etree.ElementTree as ET\nfrom flask import request\ndef f():\n    return ET.fromstring(request.data)",
    ],
  },
  [CODE_RULES.weakHash.id]: {
    vulnerable: ["import hashlib\ndef hash_password(pw):\n    return hashlib.md5(pw.encode()).hexdigest()", "import hashlib\nh = hashlib.new('sha1', data)"],
    safe: ["import hashlib\nh = hashlib.md5(data, usedforsecurity=False)", "import hashlib\nh = hashlib.sha256(data)"],
  },
  [CODE_RULES.weakCipher.id]: {
    vulnerable: ["from Crypto.Cipher import DES\nc = DES.new(key, DES.MODE_CBC, iv)", "from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_ECB)"],
    safe: ["from Crypto.Cipher import AES\nc = AES.new(key, AES.MODE_GCM)", "from Crypto.PublicKey import RSA\nk = RSA.generate(2048)"],
  },
  [CODE_RULES.insecureRandom.id]: {
    vulnerable: ["import random\nreset_token = random.getrandbits(64)"],
    safe: ["import secrets\nreset_token = secrets.token_hex(16)", "import random\nrandom.shuffle(rows)"],
  },
  [CODE_RULES.permissiveFileMode.id]: {
    vulnerable: ["import os\nos.chmod('f', 0o777)"],
    safe: ["import os\nos.chmod('f', 0o600)"],
  },
  [CODE_RULES.jwtVerifyOff.id]: {
    vulnerable: ["import jwt\nc = jwt.decode(t, options={'verify_signature': False})"],
    safe: ["import jwt\nc = jwt.decode(t, key, algorithms=['HS256'])"],
  },
  [CODE_RULES.insecureTempFile.id]: {
    vulnerable: ["import tempfile\np = tempfile.mktemp()"],
    safe: ["import tempfile\nfd, p = tempfile.mkstemp()"],
  },
  [CODE_RULES.sharedTempPath.id]: {
    vulnerable: ["with open('/tmp/report.csv', 'w') as f:\n    f.write(data)"],
    safe: ["import tempfile\nwith tempfile.NamedTemporaryFile('w', suffix='.csv') as f:\n    f.write(data)"],
  },
};

describe("code rules: vulnerable and safe look-alikes", () => {
  for (const [rule, { vulnerable, safe }] of Object.entries(CASES)) {
    describe(rule, () => {
      vulnerable.forEach((src, i) => {
        it(`flags vulnerable #${i + 1}`, () => {
          expect(ids(src), src).toContain(rule);
        });
      });
      safe.forEach((src, i) => {
        it(`passes look-alike #${i + 1}`, () => {
          expect(ids(src), src).toEqual([]);
        });
      });
    });
  }
  it("has cases for every rule that reports code", () => {
    const tested = new Set(Object.keys(CASES));
    for (const r of Object.values(CODE_RULES)) if (r.id !== CODE_RULES.suppression.id && r.id !== CODE_RULES.parse.id) expect(tested.has(r.id), r.id).toBe(true);
  });
});

describe("positions, severities and suppression", () => {
  it("reports the call's line and columns", () => {
    const [h] = analyzePython(parser, "import torch\n\nx = 1\nstate = torch.load(p)\n").hits;
    expect(h).toMatchObject({ line: 4, column: 9, endLine: 4, endColumn: 22, symbol: "torch.load" });
  });
  it("weights_only=False is worse than a missing flag", () => {
    const sev = (src: string) => analyzePython(parser, `import torch\n${src}`).hits[0]?.severity;
    expect(sev("torch.load(p, weights_only=False)")).toBe("critical");
    expect(sev("torch.load(p)")).toBe("high");
    expect(sev("torch.load(p, weights_only=flag)")).toBe("medium");
  });
  it("numbers, lengths and shell-quoted words interpolated into a command or query are constants", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    // written out at the call from literals, numbers and quoted words: not reported (session 8; was low)
    expect(sev("import os\nos.system(f'sleep {int(n)}')")).toEqual([]);
    expect(sev("import os, shlex\nos.system(f'ls {shlex.quote(d)}')")).toEqual([]);
    expect(sev("import os, shlex\nos.system('ls ' + shlex.quote(d) + ' | wc -l')")).toEqual([]);
    expect(sev("import os\nos.system(f'sleep {n}')")).toEqual(["code.shell-injection:high"]);
    expect(sev("import os\nos.system(f'sleep {str(n)}')")).toEqual(["code.shell-injection:high"]);
    expect(sev("cur.execute(f'SELECT * FROM t LIMIT {int(n)} OFFSET {o}')")).toEqual(["code.sql-injection:high"]);
    // an f-string is never a hard-coded password, even when its parts are safe
    expect(sev("password = f'{len(x)}'")).toEqual([]);
  });
  it("trust_remote_code pinned to a full commit is low; LangChain's flag from a variable is medium", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    const sha = "0123456789abcdef0123456789abcdef01234567";
    expect(sev(`m = AutoModel.from_pretrained('org/m', revision='${sha}', trust_remote_code=True)`)).toEqual(["code.trust-remote-code:low"]);
    expect(sev("m = AutoModel.from_pretrained('org/m', revision='main', trust_remote_code=True)")).toContain("code.trust-remote-code:high");
    expect(sev("db = FAISS.load_local(p, e, allow_dangerous_deserialization=ok)")).toEqual(["code.unsafe-deserialization:medium"]);
    expect(sev("db = FAISS.load_local(p, e, allow_dangerous_deserialization=True)")).toEqual(["code.unsafe-deserialization:high"]);
  });
  it("SQL built and executed is one finding, at the sink; built only, one medium finding where built", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line, h.severity]);
    expect(at("q = f'SELECT * FROM t WHERE a = {a}'\nx = 1\ncur.execute(q)")).toEqual([["code.sql-injection", 3, "high"]]);
    expect(at("q = 'SELECT * FROM t WHERE a = '\nq += a\ncur.execute(q)")).toEqual([["code.sql-injection", 3, "high"]]);
    expect(at("base = f'SELECT * FROM {t}'\nq = base + ' WHERE a = 1'\ncur.execute(q)")).toEqual([["code.sql-injection", 3, "high"]]);
    expect(at("cur.execute('SELECT * FROM t WHERE a = ' + a)")).toEqual([["code.sql-injection", 1, "high"]]);
    expect(at("q = f'SELECT * FROM t WHERE a = {a}'\nprint(q)")).toEqual([["code.sql-injection", 1, "medium"]]);
    expect(at("User.objects.extra(\n    select={'n': 'select c from t where a = ' + v},\n)")).toEqual([["code.sql-injection", 1, "high"]]);
    // the same variable rebuilt for another statement: each build is its own query
    expect(at("q = f'SELECT * FROM a WHERE x = {x}'\nq = f'SELECT * FROM b WHERE y = {y}'\ncur.execute(q)")).toEqual([
      ["code.sql-injection", 1, "medium"],
      ["code.sql-injection", 3, "high"],
    ]);
  });
  it("SQL text and untrusted input followed through attributes and the returns of local functions", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line, h.severity]);
    // self.query built in one method, executed through an attribute chain in another: one finding, at the sink
    expect(
      at('class R:\n    def a(self, n):\n        self.query = "SELECT * FROM t WHERE n = \'" + n + "\'"\n    def b(self):\n        self.conn.cursor().execute(self.query)'),
    ).toEqual([["code.sql-injection", 5, "high"]]);
    expect(at("from flask import request\nclass R:\n    def a(self):\n        self.q = request.args['q']\n        self.db.execute(self.q)")).toEqual([
      ["code.sql-injection", 5, "high"],
    ]);
    expect(at("class R:\n    def a(self):\n        self.q = 'SELECT 1'\n        self.db.execute(self.q)")).toEqual([]);
    // a local function returning built SQL: reported where its result is executed, not also where built
    expect(at("def build(uid):\n    return 'SELECT * FROM users WHERE id = ' + uid\ndef run(cur, uid):\n    q = build(uid)\n    cur.execute(q)")).toEqual([
      ["code.sql-injection", 5, "high"],
    ]);
    expect(at("class R:\n    def q(self, x):\n        return f'DELETE FROM t WHERE a = {x}'\n    def go(self, cur, x):\n        cur.execute(self.q(x))")).toEqual([
      ["code.sql-injection", 5, "high"],
    ]);
    expect(at("from flask import request\ndef name():\n    return request.args.get('n')\ndef run(cur):\n    cur.execute(name())")).toEqual([["code.sql-injection", 5, "high"]]);
    // constant returns, recursion, and a name defined twice (which one runs is not evident)
    expect(at("def fixed():\n    return 'SELECT 1'\ncur.execute(fixed())")).toEqual([]);
    expect(at("def rec(n):\n    return rec(n - 1)\ncur.execute(rec(3))")).toEqual([]);
    expect(at("def b(x):\n    return f'SELECT {x} FROM t'\ndef b(x):\n    return 'SELECT 1'\ncur.execute(b(1))")).toEqual([["code.sql-injection", 2, "medium"]]);
  });
  it("an assignment in a branch joins both paths: a constant there does not make data constant or clean", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line, h.severity]);
    expect(
      at("from flask import request\ndef a(cur):\n    p = request.args.get('x')\n    if not p:\n        p = ''\n    cur.execute(f\"SELECT u FROM t WHERE p = '{p}'\")"),
    ).toEqual([["code.sql-injection", 6, "high"]]);
    expect(at("import os\ndef d(cmd):\n    if not cmd:\n        cmd = 'ls'\n    os.system(cmd)")).toEqual([["code.shell-injection", 5, "high"]]);
    expect(at("import os\ndef d():\n    cmd = build()\n    if not cmd:\n        cmd = 'ls'\n    os.system(cmd)")).toEqual([["code.shell-injection", 6, "high"]]);
    expect(at("import sys\ndef d(cur):\n    q = sys.argv[1]\n    for _ in range(2):\n        q = 'SELECT 1'\n    cur.execute(q)")).toEqual([["code.sql-injection", 6, "high"]]);
    expect(at("from flask import request\ndef a(cur):\n    q = request.args['q']\n    try:\n        q = 'SELECT 1'\n    except E:\n        pass\n    cur.execute(q)")).toEqual([
      ["code.sql-injection", 8, "high"],
    ]);
    // straight-line reassignment still replaces, and a name first assigned in a branch is that value: a
    // command constant only through names is the program's own (not reported since session 7; it was low)
    expect(at("import os\ndef d(cmd):\n    cmd = 'ls'\n    os.system(cmd)")).toEqual([]);
    expect(at("import os\nif flag:\n    y = 'a'\nos.system(y)")).toEqual([]);
    expect(at("import os\nos.system('ls')")).toEqual([]); // written in the call: not reported since session 8
  });
  it("names holding numbers or driver-quoted text are constants inside SQL; callproc is a sink", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line, h.severity]);
    expect(at("from flask import request\nn = int(request.args['n'])\ncur.execute(f'SELECT * FROM t LIMIT {n}')")).toEqual([]);
    expect(at("from flask import request\ns = conn.escape_string(request.args['q'])\ncur.execute(f\"SELECT * FROM t WHERE a = '{s}'\")")).toEqual([]);
    expect(at("import psycopg2.extensions\ncur.execute(psycopg2.extensions.adapt(x).getquoted())")).toEqual([]);
    expect(at("from flask import request\ns = html.escape(request.args['q'])\ncur.execute(f\"SELECT * FROM t WHERE a = '{s}'\")")).toEqual([["code.sql-injection", 3, "high"]]);
    expect(at("from flask import request\ncur.callproc(request.args['p'], [])")).toEqual([["code.sql-injection", 2, "high"]]);
    expect(at("cur.callproc('get_user', [uid])")).toEqual([]);
  });
  it("a shell asked for by name in an argv list (sh -c, cmd /c), also built with append, and through os.spawn*/exec*", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line, h.severity]);
    expect(at("import subprocess\nsubprocess.run(['sh', '-c', f'echo {x}'])")).toEqual([["code.shell-injection", 2, "high"]]);
    expect(at("import subprocess\nsubprocess.run(['sh', '-c', 'echo hi'])")).toEqual([]); // a written-out script (session 8)
    expect(at("import subprocess\nargs = []\nargs.append('/bin/bash')\nargs.append('-c')\nargs.append(cmd)\nsubprocess.run(args)")).toEqual([["code.shell-injection", 6, "high"]]);
    expect(at("import subprocess\nargs = ['cmd.exe']\nargs.extend(['/c', cmd])\nsubprocess.check_output(args)")).toEqual([["code.shell-injection", 4, "high"]]);
    expect(at("import os\nos.spawnve(os.P_WAIT, '/bin/bash', ['-c', cmd], os.environ)")).toEqual([["code.shell-injection", 2, "high"]]);
    expect(at("import os\nos.execvp('sh', ['sh', '-c', cmd])")).toEqual([["code.shell-injection", 2, "high"]]);
    // argv without a shell: the program gets its arguments as they are
    expect(at("import subprocess\nsubprocess.run(['ls', '-c', x])")).toEqual([]);
    expect(at("import subprocess\nsubprocess.run(['grep', '-c', pattern, 'sh'])")).toEqual([]);
    expect(at("import os\nos.spawnve(os.P_WAIT, '/bin/ls', ['-a'], os.environ)")).toEqual([]);
    expect(at("import subprocess\nargs = ['sh', '-c']\nargs = ['ls']\nargs.append(x)\nsubprocess.run(args)")).toEqual([]);
  });
  it("an Unpickler is reported where it loads, or where it is made when it never loads in the file", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
    expect(at("import pickle\nu = pickle.Unpickler(f)\nobj = u.load()")).toEqual([["code.unsafe-deserialization", 3]]);
    expect(at("import pickle\nu = pickle.Unpickler(f)\nreturn_it(u)")).toEqual([["code.unsafe-deserialization", 2]]);
    expect(at("import pickle\nobj = pickle.Unpickler(f).load()")).toEqual([["code.unsafe-deserialization", 2]]);
  });
  it("eval/exec of a string written in the call is not reported, like a constant shell command (session 8)", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    expect(sev("x = eval('1 + 2')")).toEqual([]);
    expect(sev("exec('x = 2')")).toEqual([]);
    expect(sev("exec(f'x = {2}')")).toEqual([]);
    expect(sev("exec(f'x = {y}')")).toEqual(["code.eval-exec:high"]);
    expect(sev("exec('x = ' + y)")).toEqual(["code.eval-exec:high"]);
    // names are tracked file-wide: a parameter that shares a name with a constant elsewhere is not "constant"
    expect(sev("source = 'x = 1'\ndef run(source):\n    exec(source)")).toEqual(["code.eval-exec:medium"]);
    // a method named eval does not rebind the builtin; a module-level def does
    expect(sev("class C:\n    def eval(self):\n        pass\nprint(eval(data))")).toEqual(["code.eval-exec:high"]);
    expect(sev("def eval(x):\n    return x\nprint(eval(data))")).toEqual([]);
    expect(sev("x = eval(expr)")).toEqual(["code.eval-exec:high"]);
    expect(sev("import os\nos.system('ls')")).toEqual([]);
    expect(sev("import popen2\npopen2.popen3(cmd)")).toEqual(["code.shell-injection:high"]);
  });
  it("a long `a + b + c …` chain is analysed in linear time (it was exponential)", () => {
    // CPU time of this process, not wall time (the test must hold on a loaded machine), and a ratio: a chain
    // four times as long costs about four times as much when linear; the exponential version never finished.
    const chain = (n: number) => `q = "SELECT * FROM t WHERE a = " ${Array.from({ length: n }, (_, i) => `+ v${i} + "s"`).join(" ")}\ncur.execute(q)\n`;
    const cpu = (src: string) => {
      const t0 = process.cpuUsage();
      const hits = analyzePython(parser, src).hits;
      const d = process.cpuUsage(t0);
      return { ms: (d.user + d.system) / 1000, hits };
    };
    cpu(chain(50)); // warm-up
    const short = cpu(chain(150));
    const long = cpu(chain(600));
    expect(long.hits.map((h) => [h.rule.id, h.line])).toEqual([["code.sql-injection", 2]]);
    expect(long.ms).toBeLessThan(Math.max(40 * short.ms, 400));
  });
  it("a chained assignment gives every target the innermost value", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.line}`);
    expect(sev("password = safe = 's3cr3t'")).toEqual(["code.hardcoded-credential:1"]);
    expect(sev("d['password'] = other = 's3cr3t'")).toEqual(["code.hardcoded-credential:1"]);
    expect(sev("password = safe = os.environ['PW']")).toEqual([]);
    // cmd gets 'ls' (not c's value): a constant through a name, not reported since session 7
    expect(sev("import os\ncmd = c = 'ls'\nos.system(cmd)")).toEqual([]);
    expect(sev("import os\ncmd = c = input()\nos.system(cmd)")).toEqual(["code.shell-injection:3"]);
  });
  it("falsy verify= values and ssl._create_stdlib_context() disable verification; None keeps the default", () => {
    const ids2 = (src: string) => analyzePython(parser, `import requests, ssl\n${src}`).hits.map((h) => h.rule.id);
    expect(ids2("requests.get(url, verify=0)")).toEqual(["code.tls-verify-disabled"]);
    expect(ids2("requests.get(url, verify='')")).toEqual(["code.tls-verify-disabled"]);
    expect(ids2("ctx = ssl._create_stdlib_context()")).toEqual(["code.tls-verify-disabled"]);
    expect(ids2("requests.get(url, verify=None)")).toEqual([]);
    expect(ids2("requests.get(url, verify=1)")).toEqual([]);
    expect(ids2("requests.get(url, verify='/etc/ca.pem')")).toEqual([]);
    expect(ids2("ctx = ssl.create_default_context()")).toEqual([]);
  });
  it("Django and Flask debug switches", () => {
    const ids2 = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    expect(ids2("ALLOWED_HOSTS = []\nDEBUG = True")).toEqual(["code.debug-server:medium"]);
    expect(ids2("from django.conf import settings\nsettings.configure(DEBUG=True)")).toEqual(["code.debug-server:medium"]);
    expect(ids2("from flask import Flask\napp = Flask(__name__)\napp.debug = True")).toEqual(["code.debug-server:medium"]);
    // look-alikes: not a settings module, off, inside a function, another object's debug flag
    expect(ids2("DEBUG = True\nprint(1)")).toEqual([]);
    expect(ids2("ALLOWED_HOSTS = []\nDEBUG = False")).toEqual([]);
    expect(ids2("ALLOWED_HOSTS = []\ndef f():\n    DEBUG = True")).toEqual([]);
    expect(ids2("from django.conf import settings\nsettings.configure(DEBUG=False)")).toEqual([]);
    expect(ids2("parser.debug = True")).toEqual([]);
  });
  it("verify=False through a **kwargs dict reaches the request", () => {
    const ids2 = (src: string) => analyzePython(parser, `import requests\n${src}`).hits.map((h) => [h.rule.id, h.line]);
    expect(ids2("opts = {'verify': False, 'timeout': 5}\nrequests.get(url, **opts)")).toEqual([["code.tls-verify-disabled", 3]]);
    expect(ids2("kw = {}\nkw['verify'] = False\nrequests.post(url, **kw)")).toEqual([["code.tls-verify-disabled", 4]]);
    expect(ids2("requests.get(url, **dict(verify=False))")).toEqual([["code.tls-verify-disabled", 2]]);
    expect(ids2("s = requests.Session()\ns.get(url, **{'verify': False})")).toEqual([["code.tls-verify-disabled", 3]]);
    // look-alikes: verification on, unknown dicts, a dict rebound before the call, verify given explicitly
    expect(ids2("opts = {'verify': True}\nrequests.get(url, **opts)")).toEqual([]);
    expect(ids2("requests.get(url, **opts)")).toEqual([]);
    expect(ids2("opts = {'verify': False}\nopts = {'timeout': 3}\nrequests.get(url, **opts)")).toEqual([]);
    expect(ids2("kw = {'verify': False}\nkw['verify'] = '/etc/ca.pem'\nrequests.get(url, **kw)")).toEqual([]);
    expect(ids2("opts = {'verify': False}\nrequests.get(url, verify=True, **opts)")).toEqual([]);
    expect(ids2("opts = {'verify': False}\ncache.get(key, **opts)")).toEqual([]);
  });
  it("an all-interfaces address in a variable is reported once, where the server uses it (session 13; was where written)", () => {
    const hits = analyzePython(parser, "HOST = '0.0.0.0'\napp.run(host=HOST)\n").hits;
    expect(hits.map((h) => [h.rule.id, h.line, h.severity])).toEqual([["code.debug-server", 2, "medium"]]);
  });
  it("a later `from x import eval` does not rebind eval calls above it", () => {
    const hits = analyzePython(parser, "eval(data)\nfrom safe_eval import eval\neval(data)\n").hits;
    expect(hits.map((h) => h.line)).toEqual([1]);
  });
  it("shell=True given to some other function is medium with a built command, not reported with a written-out one", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    expect(sev("helpers.execute('make all', shell=True)")).toEqual([]);
    expect(sev("helpers.execute(cmd, shell=True)")).toEqual(["code.shell-injection:medium"]);
    // subprocess itself is reported once, by the call
    expect(sev("import subprocess\nsubprocess.run(cmd, shell=True)")).toEqual(["code.shell-injection:high"]);
  });
  it("a shell command written out at the call is not reported (session 8), a built one is high", () => {
    const sev = (src: string) => analyzePython(parser, `import os, subprocess, asyncio\n${src}`).hits[0]?.severity;
    expect(sev("os.system('nvidia-smi')")).toBeUndefined();
    expect(sev("subprocess.run('ls -l | wc -l', shell=True)")).toBeUndefined();
    expect(sev("asyncio.create_subprocess_shell('echo hi')")).toBeUndefined();
    expect(sev("os.system('ls ' + d)")).toBe("high");
    expect(sev("subprocess.run('ls -l ' + d, shell=True)")).toBe("high");
    expect(sev("asyncio.create_subprocess_shell('echo ' + d)")).toBe("high");
    // with a shell, a list's first element is the script; the rest are the shell's positional parameters
    expect(sev("subprocess.Popen(['python2', shlex.quote(f)], shell=True)")).toBeUndefined();
    expect(sev("subprocess.Popen([cmd, 'x'], shell=True)")).toBe("high");
  });
  it("weak credential literals are medium, strong ones high", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => h.severity);
    expect(sev("password = 'blerg'")).toEqual(["medium"]);
    expect(sev("if password == 'root':\n    pass")).toEqual(["medium"]);
    expect(sev(`DB_PASSWORD = '${rev("x3&rod4bu0rT")}'`)).toEqual(["high"]);
  });
  it("deserialising bytes written in the call is not reported (session 8; was low); a file path literal is", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => h.severity);
    expect(sev("import pickle\npickle.loads(b'constant')")).toEqual([]);
    expect(sev("import jsonpickle\njsonpickle.decode('{\"a\": 1}')")).toEqual([]);
    expect(sev("import yaml\nyaml.load('a: 1')")).toEqual([]);
    expect(sev("import yaml\nyaml.load(doc)")).toEqual(["high"]);
    expect(sev("import pickle\npickle.loads(blob)")).toEqual(["high"]);
    // For file loaders a literal is a path to untrusted bytes, not the data itself.
    expect(sev("import joblib\njoblib.load('cache/embeddings.joblib')")).toEqual(["high"]);
    expect(sev("import pickle\npickle.load(open('m.pkl', 'rb'))")).toEqual(["high"]);
  });
  it("a constant passed on is reported where the literal is written, once", () => {
    const lines = (src: string) => analyzePython(parser, src).hits.map((h) => h.line);
    expect(lines("password = 'blerg'\nlog({'server': s, 'password': password})\nlogin(password=password)")).toEqual([1]);
  });
  it("an abbreviated sha as revision is low (meant as a pin, but resolved like a name)", () => {
    const sev = (src: string) => analyzePython(parser, `from transformers import AutoModel\n${src}`).hits.map((h) => h.severity);
    expect(sev("REV = '548fc3543a'\nm = AutoModel.from_pretrained('org/m', revision=REV)")).toEqual(["low"]);
    expect(sev("m = AutoModel.from_pretrained('org/m', revision='v2.0')")).toEqual(["medium"]);
  });
  it("a shell= whose truth is unknown is low with a constant command, medium with a built one", () => {
    const sev = (src: string) => analyzePython(parser, `import subprocess\n${src}`).hits.map((h) => h.severity);
    expect(sev("subprocess.call('pwd', shell=Popen())")).toEqual([]); // written out (session 8; was low)
    expect(sev("command = 'pwd'\nsubprocess.call(command, shell=command)")).toEqual([]); // constant through a name (session 7)
    expect(sev("subprocess.call(cmd, shell=flag)")).toEqual(["medium"]);
    expect(sev("subprocess.call('pwd', shell=[True])")).toEqual([]);
    expect(sev("subprocess.Popen('/bin/ls %s' % ('something',), shell=True)")).toEqual([]);
    expect(sev("subprocess.Popen('/bin/ls {}'.format('x'), shell=True)")).toEqual([]);
    expect(sev("subprocess.call(['sh', '-c', '/bin/ls'], shell=True)")).toEqual([]);
    expect(sev("import shlex\nsubprocess.run('ls ' + shlex.quote(arg), shell=True)")).toEqual([]);
    expect(sev("subprocess.Popen('/bin/ls {}'.format(x), shell=True)")).toEqual(["high"]);
    expect(sev("import shlex\nsubprocess.run('ls ' + shlex.quote(arg) + ' ' + other, shell=True)")).toEqual(["high"]);
    // with shell=True the shell runs only the first element ("sh"); cmd becomes its $0, not a command
    expect(sev("subprocess.call(('sh', '-c', cmd), shell=True)")).toEqual([]);
    expect(sev("subprocess.call((cmd, '-c'), shell=True)")).toEqual(["high"]);
  });
  it("an unvetted member list is high; one that checks some but not all of absolute names, ../ and links is medium (session 9)", () => {
    const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
    expect(sev("import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=None)")).toEqual(["code.archive-extraction:high"]);
    expect(sev("import tarfile\nt = tarfile.open(p)\nt.extractall(d, members=t.getmembers())")).toEqual(["code.archive-extraction:high"]);
    const onlyDots = "import tarfile\nt = tarfile.open(p)\nkeep = [m for m in t.getmembers() if '..' not in m.name and not m.issym()]\nt.extractall(d, members=keep)";
    expect(sev(onlyDots)).toEqual(["code.archive-extraction:medium"]);
    const onlyLinks = "import tarfile\ndef f(t):\n    return [m for m in t if not (m.issym() or m.islnk())]\nt = tarfile.open(p)\nt.extractall(d, members=f(t))";
    expect(sev(onlyLinks)).toEqual(["code.archive-extraction:medium"]);
    // The list is read from its last binding before the call, not from an earlier `members=` keyword elsewhere.
    const later =
      "import tarfile, os\nt = tarfile.open(p)\nt.extractall(d, members=[m for m in t if m.isfile() and not os.path.isabs(m.name)])\nmembers = []\nfor m in t:\n    if m.issym():\n        continue\n    members.append(m)\nt.extractall(d, members=members)";
    expect(sev(later)).toEqual(["code.archive-extraction:medium"]);
    expect(sev("import tarfile\nwith tarfile.open(p) as t:\n    ms = t.getmembers()\n    t.extractall(d, members=ms)")).toEqual(["code.archive-extraction:high"]);
  });

  it("argv execution whose program comes from a web request or model output is reported; fixed programs and CLI argv are not (session 9)", () => {
    const web = "from flask import Flask, request\nimport subprocess, os\napp = Flask(__name__)\n@app.route('/c')\ndef c():\n    cmd = request.args.get('cmd', '')\n";
    for (const call of ["subprocess.Popen([cmd, 'param1'])", "subprocess.run(cmd)", "os.execv(cmd, [cmd])", "subprocess.run((cmd, '-x'))"])
      expect(ids(`${web}    ${call}`), call).toContain(CODE_RULES.shell.id);
    for (const call of [
      "subprocess.run(['ls', cmd])",
      "subprocess.run(['ls', '-l'])",
      "tool = 'git'\n    subprocess.run([tool, 'status'])",
      "subprocess.run([*base, cmd])",
      "allowed = {'p': 'ping'}\n    valid = allowed[cmd.split()[0]]\n    subprocess.call([valid, 'x'])",
      "tools = ['ls', 'df']\n    subprocess.call([tools[int(cmd)], '-h'])",
    ])
      expect(ids(`${web}    ${call}`), call).not.toContain(CODE_RULES.shell.id);
    expect(ids("import subprocess, sys\nsubprocess.run(sys.argv[1:])\nsubprocess.run([sys.argv[1], 'x'])")).toEqual([]);
    const llm =
      "import subprocess\nfrom openai import OpenAI\nr = OpenAI().chat.completions.create(model=m, messages=msgs)\nprog = r.choices[0].message.content\nsubprocess.run([prog, '--help'])";
    expect(ids(llm)).toContain(CODE_RULES.shell.id);
  });

  it("Pyramid's request.params and matchdict are request input; execute(text(x)) is one finding, at text() (session 9)", () => {
    const src =
      "from sqlalchemy import text\ndef view(request):\n    p = request.params['foo']\n    q = request.dbsession.query(M)\n    s = 'foo' + p\n    q.distinct(text(s))\n    request.dbsession.execute(text(\"SELECT * FROM t WHERE id = '%s'\" % request.matchdict['id']))";
    const hits = analyzePython(parser, src).hits.map((h) => `${h.rule.id}@${h.line}`);
    expect(hits).toEqual(["code.sql-injection@6", "code.sql-injection@7"]);
  });

  it("a character allow-list checked before eval is a check: set(x).issubset(ALLOWED), all(c in ALLOWED for c in x) (session 9, after the held-out run)", () => {
    const safe = [
      "def ev(expr):\n    allowed = set('0123456789+-*/(). ')\n    if not set(expr).issubset(allowed):\n        return ''\n    return eval(expr)",
      "def ev(expr):\n    if not set(expr).issubset('0123456789+-*/ '):\n        raise ValueError(expr)\n    return eval(expr)",
      "def ev(expr):\n    ALLOWED = '0123456789+-*/ '\n    if not all(c in ALLOWED for c in expr):\n        raise ValueError(expr)\n    return eval(expr)",
    ];
    for (const src of safe) expect(ids(src), src).toEqual([]);
    const vulnerable = [
      // the other name is checked, or the allowed set is not the program's own
      "def ev(expr, other):\n    allowed = set('0123456789')\n    if not set(other).issubset(allowed):\n        return ''\n    return eval(expr)",
      "def ev(expr, allowed):\n    if not set(expr).issubset(allowed):\n        return ''\n    return eval(expr)",
      "def ev(expr):\n    if not any(c in '0123456789' for c in expr):\n        return ''\n    return eval(expr)",
    ];
    for (const src of vulnerable) expect(ids(src), src).toContain(CODE_RULES.evalExec.id);
  });

  it("suppresses with a reason, on the line or the line above", () => {
    const a = analyzePython(
      parser,
      "import pickle\nx = pickle.loads(b)  # rampart: ignore[code.unsafe-deserialization] blob is HMAC-verified above\n# rampart: ignore[code.eval-exec] expression from our own config\ny = eval(expr)\n",
    );
    expect(a.hits).toEqual([]);
    expect(a.suppressed).toBe(2);
  });
  it("a suppression without a reason is not applied and is itself reported", () => {
    const a = analyzePython(parser, "import pickle\nx = pickle.loads(b)  # rampart: ignore[code.unsafe-deserialization]\n");
    expect(a.hits.map((h) => h.rule.id)).toEqual([CODE_RULES.deserialization.id, CODE_RULES.suppression.id]);
  });
  it("a suppression for another rule does not hide the finding", () => {
    const a = analyzePython(parser, "import pickle\nx = pickle.loads(b)  # rampart: ignore[code.eval-exec] not this one\n");
    expect(a.hits.map((h) => h.rule.id)).toEqual([CODE_RULES.deserialization.id]);
  });
  it("marks files that are not valid Python 3 but still analyses the rest", () => {
    const a = analyzePython(parser, "def broken(:\n    pass\nimport pickle\npickle.load(f)\n");
    expect(a.parseError).toBe(true);
    expect(a.hits.map((h) => h.rule.id)).toContain(CODE_RULES.deserialization.id);
  });
});

/** Session 7: checks before the sink, constant conditions and containers with constant keys. */
const FLOW: Array<{ what: string; rule: string; vulnerable: string; safe: string }> = [
  {
    what: "a quoted-literal check that returns before eval",
    rule: CODE_RULES.evalExec.id,
    vulnerable: "def f():\n    bar = request.form.get('a')\n    if not bar.startswith(\"'\") or not bar.endswith(\"'\"):\n        return 'no'\n    return eval(bar)\n",
    safe: "def f():\n    bar = request.form.get('a')\n    if not bar.startswith(\"'\") or not bar.endswith(\"'\") or \"'\" in bar[1:-1]:\n        return 'no'\n    return eval(bar)\n",
  },
  {
    what: "an allow-list check that leaves the function (a guard that only logs does not)",
    rule: CODE_RULES.sql.id,
    vulnerable: "def f(cur):\n    col = request.args['c']\n    if col not in ('name', 'age'):\n        log(col)\n    cur.execute(\"SELECT \" + col + \" FROM t\")\n",
    safe: "def f(cur):\n    col = request.args['c']\n    if col not in ('name', 'age'):\n        raise ValueError(col)\n    cur.execute(\"SELECT \" + col + \" FROM t\")\n",
  },
  {
    what: "an allow-list held in a name (a list from the request is not one)",
    rule: CODE_RULES.sql.id,
    vulnerable: "def f(cur):\n    ok = request.args.getlist('ok')\n    col = request.args['c']\n    if col in ok:\n        cur.execute(f\"SELECT {col} FROM t\")\n",
    safe: "ALLOWED = {'name', 'age'}\ndef f(cur):\n    col = request.args['c']\n    if col in ALLOWED:\n        cur.execute(f\"SELECT {col} FROM t\")\n",
  },
  {
    what: "an anchored full match (re.match without an end anchor checks only a prefix)",
    rule: CODE_RULES.sql.id,
    vulnerable: "import re\ndef f(cur):\n    t = request.args['t']\n    if not re.match(r'[a-z]+', t):\n        abort(400)\n    cur.execute('SELECT * FROM ' + t)\n",
    safe: "import re\ndef f(cur):\n    t = request.args['t']\n    if not re.fullmatch(r'[a-z]+', t):\n        abort(400)\n    cur.execute('SELECT * FROM ' + t)\n",
  },
  {
    what: "a check on the old value does not cover a new one",
    rule: CODE_RULES.sql.id,
    vulnerable: "def f(cur):\n    n = request.args['n']\n    if not n.isdigit():\n        return\n    n = request.args['m']\n    cur.execute('SELECT * FROM t LIMIT ' + n)\n",
    safe: "def f(cur):\n    n = request.args['n']\n    if not n.isdigit():\n        return\n    cur.execute('SELECT * FROM t LIMIT ' + n)\n",
  },
  {
    what: "a branch whose condition is a false constant is not followed",
    rule: CODE_RULES.evalExec.id,
    vulnerable: "def f():\n    param = request.args['p']\n    num = 86\n    if 7 * 42 - num > 300:\n        bar = 'fixed'\n    else:\n        bar = param\n    eval(bar)\n",
    safe: "def f():\n    param = request.args['p']\n    num = 86\n    if 7 * 42 - num > 200:\n        bar = 'fixed'\n    else:\n        bar = param\n    eval(bar)\n",
  },
  {
    what: "a conditional expression with a constant condition",
    rule: CODE_RULES.evalExec.id,
    vulnerable: "def f():\n    param = request.args['p']\n    num = 106\n    bar = 'fixed' if 7 * 18 + num > 300 else param\n    exec(bar)\n",
    safe: "def f():\n    param = request.args['p']\n    num = 106\n    bar = 'fixed' if 7 * 18 + num > 200 else param\n    exec(bar)\n",
  },
  {
    what: "a dict read back under a constant key",
    rule: CODE_RULES.deserialization.id,
    vulnerable:
      "import pickle, base64\ndef f():\n    param = request.form['p']\n    m = {}\n    m['a'] = 'x'\n    m['b'] = param\n    bar = m['b']\n    return pickle.loads(base64.b64decode(bar))\n",
    safe: "import pickle, base64\ndef f():\n    param = request.form['p']\n    m = {}\n    m['a'] = 'x'\n    m['b'] = param\n    bar = m['a']\n    return pickle.loads(base64.b64decode(bar))\n",
  },
  {
    what: "a ConfigParser read back under a constant section and option",
    rule: CODE_RULES.evalExec.id,
    vulnerable:
      "import configparser\ndef f():\n    param = request.form['p']\n    c = configparser.ConfigParser()\n    c.add_section('s')\n    c.set('s', 'a', 'x')\n    c.set('s', 'b', param)\n    bar = c.get('s', 'b')\n    exec(bar)\n",
    safe: "import configparser\ndef f():\n    param = request.form['p']\n    c = configparser.ConfigParser()\n    c.add_section('s')\n    c.set('s', 'a', 'x')\n    c.set('s', 'b', param)\n    bar = c.get('s', 'a')\n    exec(bar)\n",
  },
  {
    what: "a list after pop(0)",
    rule: CODE_RULES.sql.id,
    vulnerable:
      "def f(cur):\n    p = request.args['p']\n    lst = []\n    lst.append('safe')\n    lst.append(p)\n    lst.pop(0)\n    bar = lst[0]\n    cur.execute(\"SELECT * FROM t WHERE a = '\" + bar + \"'\")\n",
    safe: "def f(cur):\n    p = request.args['p']\n    lst = []\n    lst.append('safe')\n    lst.append(p)\n    lst.pop(1)\n    bar = lst[0]\n    cur.execute(\"SELECT * FROM t WHERE a = '\" + bar + \"'\")\n",
  },
  {
    what: "a constant assigned in another function does not make a parameter constant",
    rule: CODE_RULES.yamlLoad.id,
    vulnerable: "import yaml\ndef a():\n    doc = 'k: v'\ndef b(doc):\n    return yaml.load(doc, Loader=yaml.Loader)\n",
    safe: "import yaml\ndef b():\n    doc = 'k: v'\n    return yaml.load(doc, Loader=yaml.Loader)\n",
  },
];

describe("checks before the sink, constant conditions and containers (session 7)", () => {
  for (const c of FLOW) {
    it(`${c.what}: vulnerable`, () => {
      expect(ids(c.vulnerable), c.vulnerable).toContain(c.rule);
    });
    it(`${c.what}: safe look-alike`, () => {
      expect(ids(c.safe), c.safe).toEqual([]);
    });
  }
  it("a `..` check keeps a path in its directory but does not make it safe in a shell; a check that only logs is no check", () => {
    const src = (guard: string) =>
      `from flask import request, abort\nimport os\ndef f():\n    name = request.args['n']\n    ${guard}\n    os.system('cat ' + name)\n    return open('/data/' + name).read()\n`;
    expect(ids(src("if '..' in name:\n        abort(400)"))).toEqual([CODE_RULES.shell.id]);
    expect(ids(src("if '..' in name:\n        print(name)"))).toEqual([CODE_RULES.shell.id, CODE_RULES.pathTraversal.id]);
  });
  it("after the session-7 held-out run: eval() without an argument, a nested def eval, text built from a number, an allow-list before a deserialiser", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.severity]);
    expect(at("def t(v):\n    eval()\n")).toEqual([]);
    expect(at("def t(v):\n    def eval(x):\n        return x\n    eval(v)\n")).toEqual([]);
    expect(at("def t(v):\n    eval(v)\n    def eval(x):\n        return x\n")).toEqual([[CODE_RULES.evalExec.id, "high"]]);
    expect(at("def t(v):\n    exec('import urllib%d as u' % int(v))\n")).toEqual([]); // written out with a number (session 8; was low)
    expect(at("def t(v):\n    exec('import urllib%s as u' % v)\n")).toEqual([[CODE_RULES.evalExec.id, "high"]]);
    const deser = (check: string) => `import jsonpickle\ndef t():\n    o = input('user')\n    allowed = ['m1', 'm2']\n    if ${check}:\n        return jsonpickle.decode(o)\n`;
    expect(at(deser("o in allowed"))).toEqual([]);
    expect(at(deser("o"))).toEqual([[CODE_RULES.deserialization.id, "high"]]);
  });
  it("a pickle file at a constant path is still reported (its contents are not the program's)", () => {
    expect(ids("import pickle\ndef f():\n    p = 'model.pkl'\n    return pickle.load(open(p, 'rb'))\n")).toContain(CODE_RULES.deserialization.id);
  });
});

describe("values into local functions' parameters (session 7)", () => {
  const cases: Array<{ what: string; vulnerable: string; safe: string }> = [
    {
      what: "a request value handed to a local function that runs it as SQL",
      vulnerable: "def run(cur, q):\n    cur.execute(q)\n\ndef view(cur):\n    run(cur, request.args['q'])\n",
      safe: "def run(cur, q):\n    cur.execute(q)\n\ndef view(cur):\n    run(cur, 'SELECT 1')\n",
    },
    {
      what: "by keyword",
      vulnerable: "def run(cur, q=None):\n    cur.execute(q)\n\ndef view(cur):\n    run(cur, q=request.args['q'])\n",
      safe: "def run(cur, q=None):\n    cur.execute(q)\n\ndef view(cur):\n    run(cur, q=len(request.args['q']))\n",
    },
    {
      what: "a method called through self",
      vulnerable: "class V:\n    def run(self, q):\n        self.cursor.execute(q)\n\n    def view(self):\n        self.run(request.args['q'])\n",
      safe: "class V:\n    def run(self, q):\n        self.cursor.execute(q)\n\n    def view(self):\n        self.run('SELECT 1')\n",
    },
    {
      what: "through two local functions",
      vulnerable: "def inner(cur, q):\n    cur.execute(q)\n\ndef outer(cur, q):\n    inner(cur, q)\n\ndef view(cur):\n    outer(cur, sys.argv[1])\n",
      safe: "def inner(cur, q):\n    cur.execute(q)\n\ndef outer(cur, q):\n    inner(cur, 'SELECT 1')\n\ndef view(cur):\n    outer(cur, sys.argv[1])\n",
    },
    {
      what: "a local function that gives its parameter back (one that returns a number does not)",
      vulnerable: "def clean(x):\n    return x.strip()\n\ndef view(cur):\n    q = clean(request.args['q'])\n    cur.execute(q)\n",
      safe: "def clean(x):\n    return int(x)\n\ndef view(cur):\n    q = clean(request.args['q'])\n    cur.execute(q)\n",
    },
  ];
  for (const c of cases) {
    it(`${c.what}: vulnerable`, () => {
      expect(ids(c.vulnerable), c.vulnerable).toContain(CODE_RULES.sql.id);
    });
    it(`${c.what}: safe look-alike`, () => {
      expect(ids(c.safe), c.safe).toEqual([]);
    });
  }
  it("stops after three passes on a chain of calls (bounded work)", () => {
    const chain = Array.from({ length: 30 }, (_, i) => `def f${i}(cur, q):\n    f${i + 1}(cur, q)\n`).join("\n");
    const src = `${chain}\ndef f30(cur, q):\n    cur.execute(q)\n\ndef view(cur):\n    f0(cur, request.args['q'])\n`;
    const t = performance.now();
    analyzePython(parser, src);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe("match on a constant and constants that only may hold (session 7)", () => {
  const src = (subject: string) =>
    `import pickle, base64\ndef f():\n    param = request.args['p']\n    possible = "ABC"\n    guess = ${subject}\n    match guess:\n        case 'A':\n            bar = param\n        case 'B':\n            bar = 'bob'\n        case 'C' | 'D':\n            bar = param\n        case _:\n            bar = 'x'\n    return pickle.loads(base64.b64decode(bar))\n`;
  it("only the case that matches a constant subject is followed", () => {
    expect(ids(src("possible[1]"))).toEqual([]);
    expect(ids(src("possible[0]"))).toContain(CODE_RULES.deserialization.id);
    expect(ids(src("possible[2]"))).toContain(CODE_RULES.deserialization.id);
    expect(ids(src("request.args['g']"))).toContain(CODE_RULES.deserialization.id);
  });
  it("a number assigned in a branch does not decide a later condition", () => {
    const code =
      "def f(flag):\n    param = request.args['p']\n    num = 10\n    if flag:\n        num = 500\n    if num > 200:\n        bar = param\n    else:\n        bar = 'x'\n    eval(bar)\n";
    expect(ids(code)).toContain(CODE_RULES.evalExec.id);
  });
});

describe("session 8: precision on stand-ins, recall through wrappers", () => {
  const sev = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.severity}`);
  it("stand-in credentials (your…, bind parameters, dotted property keys) are not reported; real ones next to them are", () => {
    expect(sev("password = 'yourpassword'")).toEqual([]);
    expect(sev("db.connect(user='u', password='yourpassword')")).toEqual([]);
    expect(sev("q = '&password=:param'")).toEqual([]);
    expect(sev("password = ':password'")).toEqual([]);
    expect(sev("PASSWORD_PROPERTY = 'custom.password'")).toEqual([]);
    expect(sev("token_key = 'app.auth.token'")).toEqual([]);
    // look-alikes that are real values
    expect(ids("password = 'Tr0ub4dor.and.3'")).toEqual([CODE_RULES.credential.id]);
    expect(ids("password = 'ourpassword1'")).toEqual([CODE_RULES.credential.id]);
    expect(ids("password = 'p:aram'")).toEqual([CODE_RULES.credential.id]);
  });
});

describe("session 8: functools.partial wrappers", () => {
  it("a wrapped loader or shell is judged where the wrapper binds its arguments", () => {
    const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
    expect(at("import functools, torch\nload = functools.partial(torch.load, map_location='cpu')\nm = load(p)")).toEqual([[CODE_RULES.torchLoad.id, 2]]);
    expect(at("from functools import partial\nimport pickle\nl = partial(pickle.loads)")).toEqual([[CODE_RULES.deserialization.id, 3]]);
    expect(at("from functools import partial\nimport yaml\ny = partial(yaml.load, Loader=yaml.Loader)")).toEqual([[CODE_RULES.yamlLoad.id, 3]]);
    expect(at("from functools import partial\nimport subprocess\nr = partial(subprocess.run, shell=True)")).toEqual([[CODE_RULES.shell.id, 3]]);
    // safe look-alikes: the flag that makes it safe is bound in the wrapper
    expect(at("import functools, torch\nload = functools.partial(torch.load, weights_only=True)\nm = load(p)")).toEqual([]);
    expect(at("from functools import partial\nimport yaml\ny = partial(yaml.load, Loader=yaml.SafeLoader)")).toEqual([]);
    expect(at("from functools import partial\nimport subprocess\nr = partial(subprocess.run, check=True)")).toEqual([]);
    expect(at("from functools import partial\np = partial(print, 'x')")).toEqual([]);
  });
});

describe("session 8: pathlib joins", () => {
  const web = (body: string) =>
    `from flask import Flask, request\nfrom pathlib import Path\napp = Flask(__name__)\nBASE = Path('/srv/models')\n@app.route('/a')\ndef a():\n    name = request.args['name']\n${body}`;
  const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
  it("a path joined with / from request data reaches Path methods (read_text, open, unlink)", () => {
    expect(at(web("    return (BASE / name).read_text()\n"))).toEqual([[CODE_RULES.pathTraversal.id, 8]]);
    expect(at(web("    p = BASE / name\n    return p.read_bytes()\n"))).toEqual([[CODE_RULES.pathTraversal.id, 9]]);
    expect(at(web("    p = (BASE / name).resolve()\n    p.unlink()\n"))).toEqual([[CODE_RULES.pathTraversal.id, 9]]);
    expect(at(web("    p = BASE / name\n    return open(p).read()\n"))).toEqual([[CODE_RULES.pathTraversal.id, 9]]);
  });
  it("safe look-alikes: a checked name, a resolved path kept inside the base, a constant join", () => {
    expect(at(web("    if '..' in name or '/' in name:\n        return 'no'\n    return (BASE / name).read_text()\n"))).toEqual([]);
    expect(at(web("    p = (BASE / name).resolve()\n    if not p.is_relative_to(BASE):\n        return 'no'\n    return p.read_text()\n"))).toEqual([]);
    expect(at(web("    p = BASE / 'fixed.txt'\n    return p.read_text()\n"))).toEqual([]);
    expect(at(web("    p = (BASE / name).resolve()\n    if not str(p).startswith(str(BASE)):\n        return 'no'\n    return p.read_text()\n"))).toEqual([]);
    // not resolved first: `..` survives the prefix check
    expect(at(web("    p = BASE / name\n    if not str(p).startswith(str(BASE)):\n        return 'no'\n    return p.read_text()\n"))).toEqual([[CODE_RULES.pathTraversal.id, 11]]);
    expect(at(web("    n = len(name) / 2\n    return str(n)\n"))).toEqual([]);
  });
});

describe("session 8: attributes that only ever hold literals", () => {
  const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
  const job = (init: string, use: string) => `import os, pickle\nclass Job:\n    def __init__(self, r):\n        ${init}\n\n    def run(self):\n        ${use}\n`;
  it("an attribute every write of which is a literal is the program's own text", () => {
    expect(at(job("self.cmd = 'ls -l'", "os.system(self.cmd)"))).toEqual([]);
    expect(at(job("self.doc = b'x'", "return pickle.loads(self.doc)"))).toEqual([]);
  });
  it("look-alikes: written from data, written twice with one non-literal, written from outside, never written", () => {
    expect(at(job("self.cmd = r.args['c']", "os.system(self.cmd)"))).toEqual([[CODE_RULES.shell.id, 7]]);
    expect(at(`${job("self.cmd = 'ls'", "os.system(self.cmd)")}\n    def set(self, c):\n        self.cmd = c\n`)).toEqual([[CODE_RULES.shell.id, 7]]);
    expect(at(`${job("self.cmd = 'ls'", "os.system(self.cmd)")}\nj = Job(None)\nj.cmd += input()\n`)).toEqual([[CODE_RULES.shell.id, 7]]);
    expect(at(job("pass", "os.system(self.cmd)"))).toEqual([[CODE_RULES.shell.id, 7]]);
    expect(at(`${job("self.cmd = 'ls'", "os.system(self.cmd)")}\nsetattr(Job, name, value)\n`)).toEqual([[CODE_RULES.shell.id, 7]]);
  });
});

describe("after the session-8 held-out run (CodeQL tests, seen from then on)", () => {
  const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
  it("a web route's URL parameters are request input (Flask <name>, FastAPI {name} and str query parameters)", () => {
    const flask = (route: string, body: string) => `from flask import Flask\nimport sqlalchemy, os\napp = Flask(__name__)\n@app.route("${route}")\ndef view(name):\n    ${body}\n`;
    expect(at(flask("/u/<name>", "return sqlalchemy.text(name)"))).toEqual([[CODE_RULES.sql.id, 6]]);
    expect(at(flask("/u/<string:name>", "cur.execute(name)"))).toEqual([[CODE_RULES.sql.id, 6]]);
    expect(at(flask("/u/<int:name>", "os.system('sleep %d' % name)"))).toEqual([]);
    // look-alikes: a parameter not in the route, a function that is not a route
    expect(at(flask("/u", "return sqlalchemy.text(name)"))).toEqual([]);
    expect(at("import sqlalchemy\ndef view(name):\n    return sqlalchemy.text(name)\n")).toEqual([]);
    const fast = (sig: string) =>
      `from fastapi import FastAPI, Depends\nimport sqlalchemy\napp = FastAPI()\n@app.get("/items/{item}")\nasync def read(${sig}):\n    return sqlalchemy.text(q)\n`;
    expect(at(fast("item: str, q: str"))).toEqual([[CODE_RULES.sql.id, 6]]);
    expect(at(fast("item: str, q: int"))).toEqual([]);
    expect(at(fast("item: str, q=Depends(get_q)"))).toEqual([]);
  });
  it("an allow-list written as an `or` of equalities is a check; a name checked on one side only is not", () => {
    const src = (cond: string) => `from flask import request\ndef f():\n    name = request.args.get("obj")\n    if ${cond}:\n        return eval(name)\n`;
    expect(at(src('name == "foo" or name == "bar"'))).toEqual([]);
    expect(at(src('name == "foo" or other == "bar"'))).toEqual([[CODE_RULES.evalExec.id, 5]]);
    expect(at(src('name == "foo" or name'))).toEqual([[CODE_RULES.evalExec.id, 5]]);
  });
  it("popen2.Popen3/Popen4 run a shell; a %d-only format writes a number", () => {
    expect(at("import popen2\npopen2.Popen3('ls ' + f)\npopen2.Popen4('ls ' + f)\n")).toEqual([
      [CODE_RULES.shell.id, 2],
      [CODE_RULES.shell.id, 3],
    ]);
    expect(at("import os\nos.system('sleep %d' % n)\n")).toEqual([]);
    expect(at("import os\nos.system('sleep %s' % n)\n")).toEqual([[CODE_RULES.shell.id, 2]]);
  });
});

describe("after the session-8 held-out run: SQLAlchemy text clauses", () => {
  const at = (src: string) => analyzePython(parser, src).hits.map((h) => [h.rule.id, h.line]);
  it("text(text=…) and TextClause(…) are SQL sinks; constant text and other text() calls are not", () => {
    const src = (call: string) => `import sqlalchemy\nfrom flask import request\ndef f():\n    q = request.args['q']\n    return ${call}\n`;
    expect(at(src("sqlalchemy.text(text=q)"))).toEqual([[CODE_RULES.sql.id, 5]]);
    expect(at(src("sqlalchemy.sql.expression.TextClause(q)"))).toEqual([[CODE_RULES.sql.id, 5]]);
    expect(at(src("sqlalchemy.sql.expression.TextClause(text=q)"))).toEqual([[CODE_RULES.sql.id, 5]]);
    expect(at(src("sqlalchemy.text('SELECT 1')"))).toEqual([]);
    expect(at(src("widget.text(text=q)"))).toEqual([]);
  });
});

describe("after the session-10 held-out run (SecCodePLT, seen from then on): syntax trees checked node by node", () => {
  const vetted = (check: string, mode = "eval") =>
    `import ast\ndef f(src):\n    tree = ast.parse(src, mode='${mode}')\n${check}\n    return eval(compile(tree, '<s>', '${mode}'))\n`;
  it("an allow-list of node types without calls or attributes that leaves is a check", () => {
    expect(
      ids(vetted("    for node in ast.walk(tree):\n        if not isinstance(node, (ast.Expression, ast.BinOp, ast.Constant, ast.operator)):\n            raise ValueError('no')")),
    ).toEqual([]);
    expect(ids(vetted("    OK = (ast.Expression, ast.BinOp, ast.Constant)\n    if not all(isinstance(n, OK) for n in ast.walk(tree)):\n        return None"))).toEqual([]);
    const elseBranch =
      "import ast\ndef f(s):\n    t = ast.parse(s, mode='eval')\n    if any(not isinstance(n, (ast.Expression, ast.Constant)) for n in ast.walk(t)):\n        r = 'blocked'\n    else:\n        c = compile(t, '', 'eval')\n        r = eval(c)\n    return r\n";
    expect(ids(elseBranch)).toEqual([]);
  });
  it("a deny-list that rejects calls is enough for an expression, not for statements (decorators call without a Call node)", () => {
    expect(ids(vetted("    for node in ast.walk(tree):\n        if isinstance(node, (ast.Call, ast.Attribute)):\n            raise ValueError('no')"))).toEqual([]);
    const exec =
      "import ast\ndef f(src):\n    tree = ast.parse(src, mode='exec')\n    for node in ast.walk(tree):\n        if isinstance(node, (ast.Import, ast.Call)):\n            raise ValueError('no')\n    exec(compile(tree, '<s>', 'exec'))\n";
    expect(ids(exec)).toContain(CODE_RULES.evalExec.id);
  });
  it("still reported: calls or attributes allowed, a check that only logs, a deny-list without calls, another value evaluated", () => {
    expect(ids(vetted("    for node in ast.walk(tree):\n        if not isinstance(node, (ast.Expression, ast.Call, ast.Name)):\n            raise ValueError('no')"))).toContain(
      CODE_RULES.evalExec.id,
    );
    expect(ids(vetted("    if not all(isinstance(n, (ast.Expression, ast.Constant)) for n in ast.walk(tree)):\n        print('bad')"))).toContain(CODE_RULES.evalExec.id);
    expect(ids(vetted("    for node in ast.walk(tree):\n        if isinstance(node, ast.Import):\n            raise ValueError('no')"))).toContain(CODE_RULES.evalExec.id);
    const other =
      "import ast\ndef f(src, other):\n    tree = ast.parse(src, mode='eval')\n    for n in ast.walk(tree):\n        if not isinstance(n, (ast.Expression, ast.Constant)):\n            raise ValueError()\n    return eval(other)\n";
    expect(ids(other)).toContain(CODE_RULES.evalExec.id);
  });
});

describe("session 11: every element of a command checked against an allow-list in a loop", () => {
  const loop = (check: string, after = "") =>
    `import os\nALLOWED = {"ls", "-l", "pwd"}\ndef f(user):\n    parts = user.split()\n    for p in parts:\n${check}\n${after}    return os.popen(" ".join(parts)).read()\n`;
  it("a loop whose first statement leaves on an element outside the allow-list checks the whole list", () => {
    expect(ids(loop("        if p not in ALLOWED:\n            raise ValueError('no')"))).toEqual([]);
    expect(ids(loop("        if p not in ALLOWED:\n            return None"))).toEqual([]);
  });
  it("still reported: a check that only logs, skips with continue or break, runs after other work, or a list replaced after the loop", () => {
    expect(ids(loop("        if p not in ALLOWED:\n            print('no')"))).toContain(CODE_RULES.shell.id);
    expect(ids(loop("        if p not in ALLOWED:\n            continue"))).toContain(CODE_RULES.shell.id);
    expect(ids(loop("        if p not in ALLOWED:\n            break"))).toContain(CODE_RULES.shell.id);
    expect(ids(loop("        print(p)\n        if p not in ALLOWED:\n            raise ValueError('no')"))).toContain(CODE_RULES.shell.id);
    expect(ids(loop("        if p not in ALLOWED:\n            raise ValueError('no')", "    parts = user.split(',')\n"))).toContain(CODE_RULES.shell.id);
    const otherList = `import os\nALLOWED = {"ls"}\ndef f(user, extra):\n    parts = user.split()\n    for p in parts:\n        if p not in ALLOWED:\n            raise ValueError('no')\n    return os.popen(" ".join(extra)).read()\n`;
    expect(ids(otherList)).toContain(CODE_RULES.shell.id);
  });
});

describe("session 11: an allow-list the caller supplies, checked element by element", () => {
  const run = (check: string, params = "cmd, approved") =>
    `import os, shlex\ndef f(${params}):\n    parts = shlex.split(cmd)\n    for item in parts:\n${check}\n    return os.popen(' '.join(parts)).read()\n`;
  it("membership in a parameter, leaving when absent, checks the list", () => {
    expect(ids(run("        if item not in approved:\n            raise ValueError(item)"))).toEqual([]);
  });
  it("still reported: a deny-list (in … raise), a collection read from the request, a check that does not leave", () => {
    expect(ids(run("        if item in approved:\n            raise ValueError(item)"))).toContain(CODE_RULES.shell.id);
    const fromRequest =
      "import os\nfrom flask import request\ndef f():\n    parts = request.args['c'].split()\n    approved = request.args.getlist('ok')\n    for item in parts:\n        if item not in approved:\n            raise ValueError(item)\n    return os.popen(' '.join(parts)).read()\n";
    expect(ids(fromRequest)).toContain(CODE_RULES.shell.id);
    expect(ids(run("        if item not in approved:\n            print(item)"))).toContain(CODE_RULES.shell.id);
  });
});

describe("session 13: every-interface addresses followed through names, tuples and the standard library's servers", () => {
  const at = (src: string) =>
    analyzePython(parser, src)
      .hits.filter((h) => h.rule.id === CODE_RULES.debug.id)
      .map((h) => h.line);
  it("an address held in a variable, one assignment back, reaches bind and create_server", () => {
    expect(at("import socket\ns = socket.socket()\naddr = ('0.0.0.0', 80)\ns.bind(addr)\n")).toEqual([4]);
    expect(at("import socket\nHOST, PORT = '', 9999\ns = socket.socket()\ns.bind((HOST, PORT))\n")).toEqual([4]);
    expect(at("import socket\nsrv = socket.create_server(('::', 8080), family=socket.AF_INET6)\n")).toEqual([2]);
    expect(at("import socket\nsrv = socket.create_server(('', 8080))\n")).toEqual([2]);
  });
  it("the standard library's server classes and make_server, with the address written or held in a name", () => {
    expect(at("import socketserver\nserver = socketserver.TCPServer(('0.0.0.0', 9999), Handler)\n")).toEqual([2]);
    expect(at("from http.server import HTTPServer\nserver_address = ('', 8000)\nhttpd = HTTPServer(server_address, H)\n")).toEqual([3]);
    expect(at("from xmlrpc.server import SimpleXMLRPCServer\nserver = SimpleXMLRPCServer(('0.0.0.0', 8000))\n")).toEqual([2]);
    expect(at("from wsgiref.simple_server import make_server\nhttpd = make_server('', 8000, app)\n")).toEqual([2]);
    expect(at("import asyncio\nasync def main():\n    await asyncio.start_server(cb, '0.0.0.0', 8888)\n")).toEqual([3]);
  });
  it("a parameter standing for a server class (default or annotation, as in http.server's documentation), and names from a star import", () => {
    const doc =
      "from http.server import HTTPServer, BaseHTTPRequestHandler\ndef run(server_class=HTTPServer, handler_class=BaseHTTPRequestHandler):\n    server_address = ('', 8000)\n    httpd = server_class(server_address, handler_class)\n";
    expect(at(doc)).toEqual([4]);
    expect(at("from http.server import ThreadingHTTPServer\ndef run(server_class: ThreadingHTTPServer):\n    httpd = server_class(('::', 8000))\n")).toEqual([3]);
    expect(at("from socket import *\ns = socket(AF_INET, SOCK_STREAM)\ns.bind(('', 80))\n")).toEqual([3]);
    expect(at("from socketserver import *\nsrv = TCPServer(('0.0.0.0', 80), H)\n")).toEqual([2]);
    // look-alikes: the documented pattern on loopback, a parameter that is some other class, an unannotated one
    expect(at(doc.replace("('', 8000)", "('127.0.0.1', 8000)"))).toEqual([]);
    expect(at("from http.server import HTTPServer\ndef run(server_class=MyServer):\n    httpd = server_class(('', 8000), H)\n")).toEqual([]);
    expect(at("from http.server import HTTPServer\ndef run(server_class):\n    httpd = server_class(('', 8000), H)\n")).toEqual([]);
  });
  it("a host-like name is reported where the server uses it; where written only when nothing in the file uses it", () => {
    expect(at("HOST = '0.0.0.0'\napp.run(host=HOST)\n")).toEqual([2]);
    expect(at("import socketserver\nHOST = '::'\nwith socketserver.UDPServer((HOST, 9999), H) as s:\n    s.serve_forever()\n")).toEqual([3]);
    expect(at("from mcp.server.fastmcp import FastMCP\nHOST = '0.0.0.0'\nmcp = FastMCP('tools', host=HOST)\n")).toEqual([3]);
    expect(at("HOST = '0.0.0.0'\n")).toEqual([1]);
  });
  it("look-alikes: loopback and named interfaces, an empty host outside sockets and stdlib servers, other bind methods", () => {
    expect(at("import socket\ns = socket.socket()\naddr = ('127.0.0.1', 80)\ns.bind(addr)\n")).toEqual([]);
    expect(at("import socketserver\nserver = socketserver.TCPServer(('localhost', 9999), Handler)\n")).toEqual([]);
    expect(at("from http.server import HTTPServer\nhttpd = HTTPServer(('127.0.0.1', 8000), H)\n")).toEqual([]);
    expect(at("import socket\nsrv = socket.create_server(('10.0.0.5', 8080))\n")).toEqual([]);
    expect(at("addr = ('', 80)\nwidget.bind(addr)\n")).toEqual([]);
    expect(at("host = ''\napp.run(host=host)\n")).toEqual([]);
    expect(at("import socket\naddr = ('0.0.0.0', 80)\naddr = ('127.0.0.1', 80)\ns = socket.socket()\ns.bind(addr)\n")).toEqual([]);
  });
});

describe("session 13: SSLContext protocol policy", () => {
  const rules = (src: string) => analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.line}`);
  it("a context made with any protocol but PROTOCOL_TLS_CLIENT stays a verification finding, used or not (CPython starts it at CERT_NONE)", () => {
    expect(rules("import ssl, urllib.request\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)\nurllib.request.urlopen(u, context=ctx)\n")).toEqual(["code.tls-verify-disabled:2"]);
    expect(rules("import ssl\nctx = ssl.SSLContext(protocol=ssl.PROTOCOL_TLSv1_2)\n")).toEqual(["code.tls-verify-disabled:2"]);
    expect(rules("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\nctx.verify_mode = ssl.CERT_REQUIRED\nurlopen(u, context=ctx)\n")).toEqual([]);
    expect(rules("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n")).toEqual([]);
  });
  it("deprecated protocol versions are their own rule (CWE-327); TLS 1.2 and the negotiating constants are not", () => {
    expect(rules("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n")).toEqual(["code.tls-verify-disabled:2", "code.tls-weak-protocol:2"]);
    expect(rules("import ssl\nssl.get_server_certificate(('h', 443), ssl_version=ssl.PROTOCOL_SSLv3)\n")).toEqual(["code.tls-weak-protocol:2"]);
    expect(rules("import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_1\n")).toEqual(["code.tls-weak-protocol:3"]);
    expect(rules("from OpenSSL import SSL\nctx = SSL.Context(SSL.SSLv3_METHOD)\nctx.set_verify(SSL.VERIFY_PEER, cb)\n")).toEqual(["code.tls-weak-protocol:2"]);
    expect(rules("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n")).toEqual([]);
    expect(rules("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)\n")).toEqual(["code.tls-verify-disabled:2"]);
    expect(rules("PROTOCOL_TLSv1 = 'x'\nf(PROTOCOL_TLSv1)\n")).toEqual([]);
  });
});
