class StepKernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  # The gradients of the parameters, as the last backward pass left them.
  def grads(self: __torch__.StepKernels, params: List[Tensor]) -> List[Tensor]:
    out = annotate(List[Tensor], [])
    for p in params:
      g = p.grad
      assert g is not None, "a trained parameter has no gradient: was it used in the forward pass?"
      out.append(g)
    return out
  # The gradients of a loss with respect to the parameters, computed without keeping them on the
  # parameters: nothing is added to a gradient left there, and none has to be zeroed afterwards.
  # As when autograd keeps a gradient on its parameter, each is a tensor of its own laid out like
  # the parameter: the backward pass may answer a broadcast view, or one tensor for two parameters
  # (a tensor key of a dictionary is the tensor itself, not its values). A parameter the loss does
  # not depend on gets zeros, as DJL reads a missing gradient.
  def gradients(self: __torch__.StepKernels, loss: Tensor, params: List[Tensor]) -> List[Tensor]:
    found = torch.autograd.grad([loss], params, None, None, False, True)
    out = annotate(List[Tensor], [])
    seen = annotate(Dict[Tensor, int], {})
    for i in range(len(params)):
      p = params[i]
      g = found[i]
      if g is None:
        out.append(torch.zeros_like(p))
      else:
        if not g.is_contiguous() or g.stride() != p.stride() or g in seen:
          g = torch.empty_like(p).copy_(g)
        seen[g] = i
        out.append(g)
    return out
  # `given` is a list from `gradients`; an empty one means the parameters' own gradients.
  def pick(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor]) -> List[Tensor]:
    if len(given) == 0:
      return self.grads(params)
    return given
  # Every method that changes tensors returns them: the TorchScript compiler may drop an in-place
  # operation whose result it cannot see used.
  def scale(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], factor: float) -> List[Tensor]:
    grads = self.pick(params, given)
    torch._foreach_mul_(grads, factor)
    return grads
  def norm(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor]) -> Tensor:
    return torch.norm(torch.stack(torch._foreach_norm(self.pick(params, given))))
  def clamp(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], limit: float) -> List[Tensor]:
    grads = self.pick(params, given)
    torch._foreach_clamp_min_(grads, -limit)
    torch._foreach_clamp_max_(grads, limit)
    return grads
  def zero(self: __torch__.StepKernels, params: List[Tensor]) -> List[Tensor]:
    out = annotate(List[Tensor], [])
    for p in params:
      g = p.grad
      if g is not None:
        out.append(g.zero_())
    return out
  # hyper: step, learning rate, beta1, beta2, weight decay, epsilon. The parameters' own gradients
  # (an empty `given`) are zeroed afterwards; given ones are left to their owner.
  def adam(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], means: List[Tensor], variances: List[Tensor], hyper: List[float], decoupled: bool) -> List[Tensor]:
    grads = self.pick(params, given)
    step = torch.full(annotate(List[int], []), hyper[0], dtype=6, device=params[0].device)
    steps = [step for _ in params]
    none = annotate(List[Tensor], [])
    if decoupled:
      torch._fused_adamw_(params, grads, means, variances, none, steps, lr=hyper[1], beta1=hyper[2], beta2=hyper[3], weight_decay=hyper[4], eps=hyper[5], amsgrad=False, maximize=False)
    else:
      torch._fused_adam_(params, grads, means, variances, none, steps, lr=hyper[1], beta1=hyper[2], beta2=hyper[3], weight_decay=hyper[4], eps=hyper[5], amsgrad=False, maximize=False)
    if len(given) == 0:
      torch._foreach_zero_(grads)
    return grads
  # hyper: learning rate, weight decay, momentum; DJL's Sgd, operation for operation. The gradients
  # are zeroed or left as by `adam`.
  def sgd(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], momenta: List[Tensor], hyper: List[float]) -> List[Tensor]:
    grads = self.pick(params, given)
    torch._foreach_add_(grads, params, alpha=hyper[1])
    torch._foreach_mul_(grads, hyper[0])
    if len(momenta) == 0:
      torch._foreach_sub_(params, grads)
    else:
      torch._foreach_mul_(momenta, hyper[2])
      torch._foreach_add_(momenta, grads)
      torch._foreach_sub_(params, momenta)
    if len(given) == 0:
      torch._foreach_zero_(grads)
    return grads
