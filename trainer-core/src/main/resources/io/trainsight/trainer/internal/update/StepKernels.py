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
  # Every method that changes tensors returns them: the TorchScript compiler may drop an in-place
  # operation whose result it cannot see used.
  def scale(self: __torch__.StepKernels, params: List[Tensor], factor: float) -> List[Tensor]:
    grads = self.grads(params)
    torch._foreach_mul_(grads, factor)
    return grads
  def norm(self: __torch__.StepKernels, params: List[Tensor]) -> Tensor:
    return torch.norm(torch.stack(torch._foreach_norm(self.grads(params))))
  def clamp(self: __torch__.StepKernels, params: List[Tensor], limit: float) -> List[Tensor]:
    grads = self.grads(params)
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
  # hyper: step, learning rate, beta1, beta2, weight decay, epsilon. An empty `given` means the
  # parameters' own gradients, which are zeroed afterwards.
  def adam(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], means: List[Tensor], variances: List[Tensor], hyper: List[float], decoupled: bool) -> List[Tensor]:
    grads = given
    if len(grads) == 0:
      grads = self.grads(params)
    step = torch.full(annotate(List[int], []), hyper[0], dtype=6, device=params[0].device)
    steps = [step for _ in params]
    none = annotate(List[Tensor], [])
    if decoupled:
      torch._fused_adamw_(params, grads, means, variances, none, steps, lr=hyper[1], beta1=hyper[2], beta2=hyper[3], weight_decay=hyper[4], eps=hyper[5], amsgrad=False, maximize=False)
    else:
      torch._fused_adam_(params, grads, means, variances, none, steps, lr=hyper[1], beta1=hyper[2], beta2=hyper[3], weight_decay=hyper[4], eps=hyper[5], amsgrad=False, maximize=False)
    torch._foreach_zero_(grads)
    return grads
  # hyper: learning rate, weight decay, momentum; DJL's Sgd, operation for operation.
  def sgd(self: __torch__.StepKernels, params: List[Tensor], given: List[Tensor], momenta: List[Tensor], hyper: List[float]) -> List[Tensor]:
    grads = given
    if len(grads) == 0:
      grads = self.grads(params)
    torch._foreach_add_(grads, params, alpha=hyper[1])
    torch._foreach_mul_(grads, hyper[0])
    if len(momenta) == 0:
      torch._foreach_sub_(params, grads)
    else:
      torch._foreach_mul_(momenta, hyper[2])
      torch._foreach_add_(momenta, grads)
      torch._foreach_sub_(params, momenta)
    torch._foreach_zero_(grads)
    return grads
